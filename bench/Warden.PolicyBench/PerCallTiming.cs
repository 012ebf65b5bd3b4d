using System.Diagnostics;
using Warden.Domain.Decisions;

namespace Warden.PolicyBench;

/// <summary>
/// BenchmarkDotNet's percentiles are over iteration means; this times single calls, so its p99 is
/// the p99 a request on the hot path sees.
/// </summary>
internal static class PerCallTiming
{
    public static void Run(int calls)
    {
        var contexts = PolicyFixture.Contexts(PolicyFixture.Policy(), 1_024);
        for (var i = 0; i < 50_000; i++)
            DecisionEngine.Decide(contexts[i & 1023]);

        var ticks = new long[calls];
        var outcomes = new int[3];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var decision = DecisionEngine.Decide(contexts[i & 1023]);
            ticks[i] = Stopwatch.GetTimestamp() - start;
            outcomes[(int)decision.Outcome]++;
        }
        Array.Sort(ticks);
        double Micro(double quantile) => ticks[(int)Math.Min(calls - 1, quantile * calls)] * 1_000_000.0 / Stopwatch.Frequency;
        var mean = ticks.Average() * 1_000_000.0 / Stopwatch.Frequency;
        System.Console.WriteLine($"Per-call timing over {calls:N0} calls: mean {mean:F2} µs, p50 {Micro(0.50):F2} µs, p99 {Micro(0.99):F2} µs, p99.9 {Micro(0.999):F2} µs, max {Micro(1.0):F2} µs");
        System.Console.WriteLine($"Outcomes: allow {outcomes[0]:N0}, deny {outcomes[1]:N0}, pending {outcomes[2]:N0}");
    }
}
