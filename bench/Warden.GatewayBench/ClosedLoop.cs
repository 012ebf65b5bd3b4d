using System.Diagnostics;
using Warden.LoadBench;

namespace Warden.GatewayBench;

/// <summary>
/// Every session calls in a loop, each call as soon as its last one was answered, until the phase's
/// calls are used up: first the warm-up (not measured), then the measured calls, each timed alone.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<PhaseResult> RunAsync(string path, IReadOnlyList<ICallSession> sessions, int warmup, int calls)
    {
        await RunCallsAsync(sessions, new Tickets(warmup), ticks: null);

        var ticks = new long[calls];
        var loadStart = MachineInfo.LoadAverage();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await RunCallsAsync(sessions, new Tickets(calls), ticks);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = new PhaseResult(path, sessions.Count, ticks, elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu,
            GC.GetTotalAllocatedBytes(precise: true) - allocated, loadStart, MachineInfo.LoadAverage());
        Array.Sort(ticks);
        return result;
    }

    private static Task RunCallsAsync(IReadOnlyList<ICallSession> sessions, Tickets tickets, long[]? ticks) =>
        Task.WhenAll(sessions.Select(session => Task.Run(async () =>
        {
            while (tickets.TryTake(out var call))
            {
                var start = Stopwatch.GetTimestamp();
                await session.CallAsync(CancellationToken.None);
                ticks?[call] = Stopwatch.GetTimestamp() - start;
            }
        })));

    private sealed class Tickets(int count)
    {
        private int _next = -1;

        public bool TryTake(out int call)
        {
            call = Interlocked.Increment(ref _next);
            return call < count;
        }
    }
}
