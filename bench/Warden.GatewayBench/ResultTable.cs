using System.Diagnostics;
using System.Globalization;

namespace Warden.GatewayBench;

/// <summary>The run's figures as Markdown tables, as docs/benchmarks.md records them.</summary>
internal static class ResultTable
{
    public static IEnumerable<string> Phases(IReadOnlyList<PhaseResult> phases)
    {
        yield return "| sessions | path | calls | calls/s | mean ms | p50 ms | p95 ms | p99 ms | max ms | CPU ms/call | alloc KB/call | load at start | load at end |";
        yield return "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|";
        foreach (var p in phases)
        {
            yield return Invariant($"| {p.Sessions} | {p.Path} | {p.Calls:N0} | {p.CallsPerSecond:N0} | {p.MeanMs:F2} | {p.Ms(0.50):F2} | {p.Ms(0.95):F2} | {p.Ms(0.99):F2} | ")
                + Invariant($"{p.MaxMs:F1} | {p.CpuMsPerCall:F2} | {p.AllocatedKbPerCall:F0} | {p.LoadStart} | {p.LoadEnd} |");
        }
    }

    /// <summary>What the runtime did in each phase: JIT compilation, lock contention, collections, thread-pool size.</summary>
    public static IEnumerable<string> Runtime(IReadOnlyList<PhaseResult> phases)
    {
        yield return "| sessions | path | warm-up calls | JIT-compiled methods | per call | JIT ms | lock contentions | per call | GC gen0 / gen1 / gen2 | pool threads at end |";
        yield return "|---:|---|---:|---:|---:|---:|---:|---:|---|---:|";
        foreach (var p in phases)
        {
            var r = p.Runtime;
            yield return Invariant($"| {p.Sessions} | {p.Path} | {p.WarmupCalls:N0} | {r.JitMethods:N0} | {p.JitMethodsPerCall:F2} | {r.JitTime.TotalMilliseconds:F0} | ")
                + Invariant($"{r.LockContentions:N0} | {p.LockContentionsPerCall:F2} | {r.Gen0} / {r.Gen1} / {r.Gen2} | {r.PoolThreads} |");
        }
    }

    /// <summary>What the gateway adds over calling the upstream directly (same upstream process), beside a decision alone.</summary>
    public static IEnumerable<string> Overhead(IReadOnlyList<PhaseResult> phases)
    {
        yield return "| sessions | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 / p99 ms | decision p50 / p99 ms | added p50 ≤ decision p50 + 1 ms |";
        yield return "|---:|---|---|---|---|---|";
        foreach (var sessions in phases.Select(p => p.Sessions).Distinct())
        {
            var direct = phases.SingleOrDefault(p => p.Sessions == sessions && p.Path == CallPaths.Direct);
            var gateway = phases.SingleOrDefault(p => p.Sessions == sessions && p.Path == CallPaths.Gateway);
            var decision = phases.SingleOrDefault(p => p.Sessions == sessions && p.Path == CallPaths.Decision);
            if (direct is null || gateway is null || decision is null)
                continue;
            var (added50, added99) = (gateway.Ms(0.50) - direct.Ms(0.50), gateway.Ms(0.99) - direct.Ms(0.99));
            var allowed = decision.Ms(0.50) + 1;
            var verdict = added50 <= allowed
                ? Invariant($"yes ({added50:F2} ≤ {allowed:F2})")
                : Invariant($"no: {added50 - allowed:F2} ms over ({added50 / allowed:F1}×)");
            yield return Invariant($"| {sessions} | {direct.Ms(0.50):F2} / {direct.Ms(0.99):F2} | {gateway.Ms(0.50):F2} / {gateway.Ms(0.99):F2} | ")
                + Invariant($"{added50:F2} / {added99:F2} | {decision.Ms(0.50):F2} / {decision.Ms(0.99):F2} | {verdict} |");
        }
    }

    public static IEnumerable<string> Steps(long[][] steps, double[] bytesPerCall)
    {
        var total = steps.Sum(Mean);
        yield return "| step (one call at a time) | mean ms | p50 ms | p99 ms | share of the mean | alloc KB/call |";
        yield return "|---|---:|---:|---:|---:|---:|";
        for (var i = 0; i < steps.Length; i++)
            yield return Invariant($"| {GatewaySteps.Names[i]} | {Mean(steps[i]):F2} | {Ms(steps[i], 0.50):F2} | {Ms(steps[i], 0.99):F2} | {Mean(steps[i]) / total:P0} | {bytesPerCall[i] / 1024:F0} |");
        yield return Invariant($"| all steps | {total:F2} | {steps.Sum(s => Ms(s, 0.50)):F2} (sum) | | | {bytesPerCall.Sum() / 1024:F0} |");
    }

    private static double Mean(long[] ticks) => ticks.Average() * 1000.0 / Stopwatch.Frequency;

    private static double Ms(long[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
