using System.Diagnostics;

namespace Warden.GatewayBench;

/// <summary>The measured calls of one path at one concurrency, with what the machine did meanwhile.</summary>
internal sealed record PhaseResult(
    string Path, int Sessions, long[] SortedTicks, TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, RuntimeCounters Runtime, int WarmupCalls, string LoadStart, string LoadEnd)
{
    public int Calls => SortedTicks.Length;

    public double CallsPerSecond => Calls / Elapsed.TotalSeconds;

    /// <summary>Nearest-rank percentile, in milliseconds.</summary>
    public double Ms(double quantile) => Millis(SortedTicks[Math.Clamp((int)Math.Ceiling(quantile * Calls) - 1, 0, Calls - 1)]);

    public double MaxMs => Millis(SortedTicks[^1]);

    public double MeanMs => Millis((long)SortedTicks.Average());

    /// <summary>This process's CPU (clients and app together; not the upstream's node process) per call.</summary>
    public double CpuMsPerCall => Cpu.TotalMilliseconds / Calls;

    public double AllocatedKbPerCall => AllocatedBytes / 1024.0 / Calls;

    public double JitMethodsPerCall => (double)Runtime.JitMethods / Calls;

    public double LockContentionsPerCall => (double)Runtime.LockContentions / Calls;

    private static double Millis(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
