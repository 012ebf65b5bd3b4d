using System.Globalization;

namespace Warden.GatewayBench;

/// <param name="Calls">Measured calls per path and concurrency, shared out among the sessions.</param>
/// <param name="Warmup">Unmeasured calls per path and concurrency before the measured ones.</param>
/// <param name="Sessions">The concurrency levels: how many sessions call at once.</param>
/// <param name="BreakdownCalls">Calls for the step-by-step timing of the gateway's work (0 skips it).</param>
/// <param name="Paths">The paths to measure (all by default; one alone is for profiling it).</param>
/// <param name="JitLog">Lists the methods JIT-compiled during each phase's measured calls (slows the run: for profiling).</param>
/// <param name="AllocationLog">Lists the types allocated during each phase's measured calls (slows the run: for profiling).</param>
internal sealed record BenchSettings(int Calls, int Warmup, IReadOnlyList<int> Sessions, int BreakdownCalls, IReadOnlySet<string> Paths, bool JitLog, bool AllocationLog)
{
    public bool Measures(string path) => Paths.Contains(path);

    public static BenchSettings Parse(string[] args) => new(
        Option(args, "--calls", 2000),
        Option(args, "--warmup", 200),
        [.. Value(args, "--sessions", "1,16").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
        Option(args, "--breakdown-calls", 500),
        Value(args, "--paths", "direct,gateway,list,decision").Split(',').ToHashSet(StringComparer.Ordinal),
        args.Contains("--jit-log"),
        args.Contains("--alloc-log"));

    private static int Option(string[] args, string name, int fallback) =>
        int.Parse(Value(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private static string Value(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
