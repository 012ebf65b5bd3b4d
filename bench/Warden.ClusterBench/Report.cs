using System.Globalization;

namespace Warden.ClusterBench;

/// <summary>The run's figures as markdown tables.</summary>
internal static class Report
{
    public static void Races(IReadOnlyList<(RaceResult Result, List<string> Chained, string LoadStart, string LoadEnd)> races)
    {
        Console.WriteLine("### Kill race: traffic on B, the trip on A");
        Console.WriteLine();
        Console.WriteLine("| phase | trials | senders | time s | requests | started after the trip returned | allowed of those | allows chained after the trip (audit) | trials with an allow before the trip | load at start | load at end |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var (r, chained, start, end) in races)
        {
            Line($"| {r.Phase} | {r.Trials.Count} | {r.Senders} | {r.Elapsed.TotalSeconds:F1} | {r.Requests:N0} | {r.AfterTrip:N0} | **{r.AllowedAfterTrip}** | **{chained.Count}** | {r.Trials.Count(t => t.AllowedBeforeTrip)} | {start} | {end} |");
        }
        Console.WriteLine();
        Console.WriteLine("| phase | measure | trials | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (r, _, _, _) in races)
        {
            Row(r.Phase, "trip on A: call, commit included", r.Trials.Select(t => t.TripMs));
            Row(r.Phase, "trip returned on A → first refusal answered by B (client)", r.Trials.Where(t => t.FirstRefusalMs is not null).Select(t => t.FirstRefusalMs!.Value));
        }
        Console.WriteLine();
        Console.WriteLine("| phase | first refusal after the trip returned | trials | p50 ms | p99 ms | max ms | collector paused p50 / max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var (r, _, _, _) in races)
        {
            var refused = r.Trials.Where(t => t.FirstRefusalMs is not null && t.GcPauseMs is not null).ToList();
            foreach (var (label, group) in new[]
            {
                ("with a collector pause in the window", refused.Where(t => t.GcPauseMs > 0).ToList()),
                ("without one", refused.Where(t => t.GcPauseMs == 0).ToList()),
            })
            {
                if (group.Count == 0)
                    continue;
                var pauses = group.Select(t => t.GcPauseMs!.Value).Order().ToList();
                var times = group.Select(t => t.FirstRefusalMs!.Value).Order().ToList();
                Line($"| {r.Phase} | {label} | {group.Count} | {Stats.Percentile(times, 0.50):F3} | {Stats.Percentile(times, 0.99):F3} | {times[^1]:F3} | {Stats.Percentile(pauses, 0.50):F1} / {pauses[^1]:F1} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("| phase | trials without a refusal within 3 s | first refusal before the trip returned | first refusal by kind |");
        Console.WriteLine("|---|---:|---:|---|");
        foreach (var (r, _, _, _) in races)
        {
            var kinds = string.Join(", ", r.Trials.Where(t => t.FirstRefusal is not null).GroupBy(t => t.FirstRefusal!, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).Select(g => $"{g.Key}: {g.Count()}"));
            Line($"| {r.Phase} | {r.Trials.Count(t => t.FirstRefusalMs is null)} | {r.Trials.Count(t => t.RefusedBeforeReturn)} | {kinds} |");
        }
        Console.WriteLine();
        Console.WriteLine("| phase | answers to requests in flight at or started after the trip |");
        Console.WriteLine("|---|---|");
        foreach (var (r, _, _, _) in races)
            Line($"| {r.Phase} | {string.Join(", ", r.AnswersAroundTrip.OrderByDescending(p => p.Value).Select(p => $"{p.Key}: {p.Value:N0}"))} |");
        Console.WriteLine();
    }

    public static void Loads(IReadOnlyList<LoadRow> loads)
    {
        Console.WriteLine("### Allowed decisions per second (closed loop)");
        Console.WriteLine();
        Console.WriteLine("| setup | instances | senders | agents | seconds | requests | allowed | allowed/s | p50 ms | p99 ms | max ms | load at start | load at end |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var l in loads)
        {
            Line($"| {l.Name} | {l.Instances} | {l.Senders} | {l.Agents} | {l.Seconds:F1} | {l.Requests:N0} | {l.Allowed:N0} | **{l.AllowedPerSecond:N0}** | {l.P50:F2} | {l.P99:F2} | {l.Max:F1} | {l.LoadAtStart} | {l.LoadAtEnd} |");
        }
        Console.WriteLine();
        Console.WriteLine("| setup | answers |");
        Console.WriteLine("|---|---|");
        foreach (var l in loads)
            Line($"| {l.Name} | {string.Join(", ", l.Mix.OrderByDescending(p => p.Value).Select(p => $"{p.Key}: {p.Value:N0}"))} |");
        Console.WriteLine();
    }

    private static void Row(string phase, string name, IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        Line($"| {phase} | {name} | {sorted.Count} | {Stats.Percentile(sorted, 0.50):F3} | {Stats.Percentile(sorted, 0.99):F3} | {(sorted.Count == 0 ? double.NaN : sorted[^1]):F3} |");
    }

    private static void Line(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
