using System.Diagnostics;
using Warden.Domain.Guardrails;

namespace Warden.PolicyBench;

/// <summary>Single scans timed one by one, as a decision on the hot path sees them.</summary>
internal static class GuardrailPerCallTiming
{
    public static void Run(int calls)
    {
        var typical = GuardrailFixture.Typical(16);
        System.Console.WriteLine($"Typical parameters: {typical.Average(t => t.GetRawText().Length):N0} bytes of JSON on average");
        var scanner = GuardrailScanner.Default;
        for (var i = 0; i < 20_000; i++)
            scanner.Scan(typical[i & 15]);

        var ticks = new long[calls];
        var findings = 0L;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            findings += scanner.Scan(typical[i & 15]).Count;
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(ticks);
        double Micro(double quantile) => ticks[(int)Math.Min(calls - 1, quantile * calls)] * 1_000_000.0 / Stopwatch.Frequency;
        System.Console.WriteLine($"Guardrail scan, typical 2 KB, {calls:N0} calls: p50 {Micro(0.50):F2} µs, p99 {Micro(0.99):F2} µs, max {Micro(1.0):F2} µs; {findings / (double)calls:F2} findings per scan");

        var adversarial = GuardrailFixture.Adversarial();
        var adversarialTicks = new long[50];
        for (var i = 0; i < adversarialTicks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            scanner.Scan(adversarial);
            adversarialTicks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(adversarialTicks);
        System.Console.WriteLine($"Guardrail scan, 64 KB adversarial, 50 calls: p50 {adversarialTicks[25] * 1000.0 / Stopwatch.Frequency:F2} ms, max {adversarialTicks[^1] * 1000.0 / Stopwatch.Frequency:F2} ms; findings {string.Join(", ", scanner.Scan(adversarial).Select(f => f.Kind).Distinct())}");
    }
}
