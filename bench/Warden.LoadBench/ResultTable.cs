using System.Globalization;
using System.Text;

namespace Warden.LoadBench;

/// <summary>A Markdown table, so a run can be pasted into docs/benchmarks.md as printed.</summary>
public static class ResultTable
{
    public static string Render(IReadOnlyList<LoadResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| endpoint | load | conns | measured s | requests | req/s | p50 ms | p99 ms | max ms | errors | app CPU ms/req |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var bound = r.LowerBound ? "≥ " : "";
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Mode} | {r.Connections} | {r.Seconds:F1} | {r.Requests:N0} | {r.PerSecond:N0} | {bound}{r.P50:F2} | {bound}{r.P99:F2} | {bound}{r.Max:F1} | {r.Errors:N0} | {(r.CpuMillisecondsPerRequest is { } cpu ? cpu.ToString("F3", CultureInfo.InvariantCulture) : "–")} |");
        }
        return table.ToString();
    }

    public static string Mix(IReadOnlyList<LoadResult> results)
    {
        var lines = new StringBuilder();
        foreach (var r in results)
        {
            var parts = r.Mix.OrderByDescending(p => p.Value)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.Value:N0} ({100.0 * p.Value / Math.Max(1, r.Requests):F1} %)"));
            lines.AppendLine(CultureInfo.InvariantCulture, $"- {r.Scenario}, {r.Mode}: {string.Join("; ", parts)}");
        }
        return lines.ToString();
    }

    public static string Targets(LoadResult decisions, LoadResult trivial, LoadResult open)
    {
        var share = decisions.PerSecond / trivial.PerSecond;
        string Verdict(bool met) => met ? "met" : "NOT met";
        var lines = new StringBuilder();
        lines.AppendLine(CultureInfo.InvariantCulture,
            $"- decisions/s at {decisions.Connections} connections: {decisions.PerSecond:N0} vs >= {LoadSettings.TargetDecisionsPerSecond:N0}: {Verdict(decisions.PerSecond >= LoadSettings.TargetDecisionsPerSecond)} ({decisions.PerSecond / LoadSettings.TargetDecisionsPerSecond:P1} of the target)");
        lines.AppendLine(CultureInfo.InvariantCulture,
            $"- share of {trivial.Scenario} ({trivial.PerSecond:N0}/s): {share:P1} vs >= {LoadSettings.TargetShareOfTrivial:P0}: {Verdict(share >= LoadSettings.TargetShareOfTrivial)}");
        lines.AppendLine(CultureInfo.InvariantCulture,
            $"- {open.Mode} p50: {(open.LowerBound ? ">= " : "")}{open.P50:F2} ms vs <= {LoadSettings.TargetOpenLoopP50Milliseconds} ms: {Verdict(!open.LowerBound && open.P50 <= LoadSettings.TargetOpenLoopP50Milliseconds)}");
        lines.AppendLine(CultureInfo.InvariantCulture,
            $"- {open.Mode} p99: {(open.LowerBound ? ">= " : "")}{open.P99:F2} ms vs <= {LoadSettings.TargetOpenLoopP99Milliseconds} ms: {Verdict(!open.LowerBound && open.P99 <= LoadSettings.TargetOpenLoopP99Milliseconds)}");
        return lines.ToString();
    }
}
