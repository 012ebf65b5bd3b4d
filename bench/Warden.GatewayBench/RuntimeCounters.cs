using System.Runtime;

namespace Warden.GatewayBench;

/// <summary>
/// What the runtime did over a phase, besides CPU and allocation: methods the JIT compiled (in a
/// steady state, a call should compile none), the JIT's time, lock contentions, garbage collections
/// and the thread pool's size at the end.
/// </summary>
internal readonly record struct RuntimeCounters(long JitMethods, TimeSpan JitTime, long LockContentions, int Gen0, int Gen1, int Gen2, int PoolThreads)
{
    public static RuntimeCounters Now() => new(
        JitInfo.GetCompiledMethodCount(currentThread: false),
        JitInfo.GetCompilationTime(currentThread: false),
        Monitor.LockContentionCount,
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        ThreadPool.ThreadCount);

    /// <summary>The counts from <paramref name="start"/> to this one; the pool's size is this one's.</summary>
    public RuntimeCounters Since(RuntimeCounters start) => new(
        JitMethods - start.JitMethods,
        JitTime - start.JitTime,
        LockContentions - start.LockContentions,
        Gen0 - start.Gen0,
        Gen1 - start.Gen1,
        Gen2 - start.Gen2,
        PoolThreads);
}
