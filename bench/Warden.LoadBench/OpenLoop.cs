using System.Collections.Concurrent;
using System.Diagnostics;

namespace Warden.LoadBench;

/// <summary>
/// A fixed arrival rate: request i is due at start + i / rate whatever happened to the earlier ones,
/// and its latency runs from that due time, not from when it was actually sent, so a stalled server
/// or a full connection pool shows up in the figures instead of slowing the load (no coordinated
/// omission). Requests still unanswered when the drain period ends are given up and counted as
/// errors at the time they were given up.
/// </summary>
public static class OpenLoop
{
    public static async Task<LoadResult> RunAsync(HttpClient client, Scenario scenario, int connections, int rate, TimeSpan duration, TimeSpan drain, CancellationToken cancellationToken,
        Func<TimeSpan>? processorTime = null)
    {
        var cpuAtStart = processorTime?.Invoke();
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new long[total];
        var errors = new bool[total];
        var unfinished = new bool[total];
        var mix = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var tasks = new Task[total];
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var interval = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();
        long lastAnswer = start;

        async Task SendAsync(int i, long due)
        {
            try
            {
                var (key, error) = await Exchange.SendAsync(client, scenario, i, giveUp.Token);
                mix.AddOrUpdate(key, 1, (_, n) => n + 1);
                errors[i] = error;
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                mix.AddOrUpdate("unfinished (given up)", 1, (_, n) => n + 1);
                errors[i] = unfinished[i] = true;
            }
            var now = Stopwatch.GetTimestamp();
            latencies[i] = now - due;
            if (!unfinished[i])
                InterlockedMax(ref lastAnswer, now);
        }

        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The schedule runs on its own thread so a busy thread pool delays answers, not arrivals.
        var scheduler = new Thread(() =>
        {
            var next = 0;
            while (next < total)
            {
                var now = Stopwatch.GetTimestamp();
                while (next < total && start + (long)(next * interval) <= now)
                {
                    var i = next++;
                    var due = start + (long)(i * interval);
                    tasks[i] = Task.Run(() => SendAsync(i, due), CancellationToken.None);
                }
                if (next < total)
                    Thread.Sleep(1);
            }
            scheduled.SetResult();
        })
        { IsBackground = true, Name = "open-loop schedule", Priority = ThreadPriority.AboveNormal };
        scheduler.Start();
        await scheduled.Task.WaitAsync(cancellationToken);

        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(drain, cancellationToken)) != all)
            await giveUp.CancelAsync();
        await all;
        var cpu = processorTime is null ? (TimeSpan?)null : processorTime() - cpuAtStart!.Value;

        var seconds = (Interlocked.Read(ref lastAnswer) - start) / (double)Stopwatch.Frequency;
        var answered = total - unfinished.Count(u => u);
        Array.Sort(latencies);
        return new LoadResult(
            scenario.Name, $"open {rate:N0}/s", connections, seconds, total, answered / seconds,
            Latency.Percentile(latencies, 50), Latency.Percentile(latencies, 99), Latency.Percentile(latencies, 100),
            errors.Count(e => e), total - answered, new Dictionary<string, long>(mix, StringComparer.Ordinal))
        {
            CpuMillisecondsPerRequest = cpu is null || answered == 0 ? null : cpu.Value.TotalMilliseconds / answered,
        };
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
