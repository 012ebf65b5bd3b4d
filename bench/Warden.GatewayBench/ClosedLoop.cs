using System.Diagnostics;
using System.Runtime;
using Warden.LoadBench;

namespace Warden.GatewayBench;

/// <summary>
/// Every session calls in a loop, each call as soon as its last one was answered, until the phase's
/// calls are used up: first the warm-up (not measured), then the measured calls, each timed alone.
/// The warm-up goes on past its calls, a batch at a time, until the JIT is quiet: the app has
/// thousands of methods on a gateway call, and the runtime compiles them again (optimised, with
/// profile data) in the background for thousands of calls; measured before that settles, a call's
/// CPU is mostly the JIT's.
/// </summary>
internal static class ClosedLoop
{
    private const int Batch = 200;
    private const double QuietJitMethodsPerCall = 0.5;
    private const int MaxWarmup = 20_000;

    public static async Task<PhaseResult> RunAsync(string path, IReadOnlyList<ICallSession> sessions, int warmup, int calls, JitLog? jitLog = null, AllocationLog? allocationLog = null)
    {
        var warmed = await WarmUpAsync(sessions, warmup);

        var ticks = new long[calls];
        var loadStart = MachineInfo.LoadAverage();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var counters = RuntimeCounters.Now();
        jitLog?.Start();
        allocationLog?.Start();
        var started = Stopwatch.GetTimestamp();
        await RunCallsAsync(sessions, new Tickets(calls), ticks);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (jitLog is not null)
        {
            Console.WriteLine($"[{path}, {sessions.Count} sessions] methods JIT-compiled during the measured calls, most first:");
            foreach (var line in jitLog.Stop(top: 40))
                Console.WriteLine(line);
        }
        if (allocationLog is not null)
        {
            Console.WriteLine($"[{path}, {sessions.Count} sessions] types allocated during the measured calls (samples, share), most first:");
            foreach (var line in allocationLog.Stop(top: 40))
                Console.WriteLine(line);
        }
        var result = new PhaseResult(path, sessions.Count, ticks, elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu,
            GC.GetTotalAllocatedBytes(precise: true) - allocated, RuntimeCounters.Now().Since(counters), warmed, loadStart, MachineInfo.LoadAverage());
        Array.Sort(ticks);
        return result;
    }

    /// <returns>The warm-up calls made.</returns>
    private static async Task<int> WarmUpAsync(IReadOnlyList<ICallSession> sessions, int warmup)
    {
        await RunCallsAsync(sessions, new Tickets(warmup), ticks: null);
        var made = warmup;
        while (made < MaxWarmup)
        {
            var compiled = JitInfo.GetCompiledMethodCount(currentThread: false);
            await RunCallsAsync(sessions, new Tickets(Batch), ticks: null);
            made += Batch;
            if ((JitInfo.GetCompiledMethodCount(currentThread: false) - compiled) / (double)Batch <= QuietJitMethodsPerCall)
                break;
        }
        return made;
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
