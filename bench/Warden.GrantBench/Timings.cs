using System.Diagnostics;
using System.Globalization;

namespace Warden.GrantBench;

/// <summary>Per-call wall times of one operation, after a warm-up, as p50/p99/max in microseconds, and the mean CPU time per call.</summary>
internal static class Timings
{
    public static string Header => $"{"case",-54} {"calls",8} {"p50 µs",9} {"p99 µs",9} {"max µs",9} {"CPU µs",9}";

    public static string Measure(string name, int calls, Action call)
    {
        for (var i = 0; i < Math.Min(calls, 2000); i++)
            call();
        var ticks = new long[calls];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        return Row(name, ticks, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    public static async Task<string> MeasureAsync(string name, int calls, Func<int, Task> call)
    {
        for (var i = 0; i < Math.Min(calls / 10, 200); i++)
            await call(-1 - i);
        var ticks = new long[calls];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        return Row(name, ticks, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    /// <param name="cpu">The process's CPU time over the timed calls: unlike wall time, other work on the machine does not inflate it.</param>
    private static string Row(string name, long[] ticks, TimeSpan cpu)
    {
        Array.Sort(ticks);
        double Micros(long t) => t * 1_000_000.0 / Stopwatch.Frequency;
        double At(double q) => Micros(ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(q * ticks.Length) - 1)]);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-54} {ticks.Length,8} {At(0.50),9:F1} {At(0.99),9:F1} {Micros(ticks[^1]),9:F1} {cpu.TotalMicroseconds / ticks.Length,9:F1}");
    }
}
