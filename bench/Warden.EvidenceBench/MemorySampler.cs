using System.Diagnostics;

namespace Warden.EvidenceBench;

/// <summary>Samples the process's working set and managed heap every 10 ms while a pack is built.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;
    private long _heap;

    public MemorySampler()
    {
        _peak = Current;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                try
                {
                    await Task.Delay(10, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public static long Current
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }

    /// <summary>The peak so far (e.g. before the PDF is saved).</summary>
    public long PeakSoFar()
    {
        Sample();
        lock (_stop)
            return _peak;
    }

    public (long PeakWorkingSet, long PeakManagedHeap) Stop()
    {
        _stop.Cancel();
        _loop.Wait();
        Sample();
        return (_peak, _heap);
    }

    public void Dispose() => _stop.Dispose();

    private void Sample()
    {
        var current = Current;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        lock (_stop)
        {
            _peak = Math.Max(_peak, current);
            _heap = Math.Max(_heap, heap);
        }
    }
}
