using System.Diagnostics;

namespace Warden.LoadBench;

/// <summary>
/// A fixed number of connections, each sending its next request as soon as the last one is answered.
/// Requests started during the warm-up are not measured. With <c>processorTime</c> (the app
/// process's CPU time so far), the CPU the app used from the end of the warm-up until the last
/// answer is divided over the measured requests.
/// </summary>
public static class ClosedLoop
{
    public static async Task<LoadResult> RunAsync(HttpClient client, Scenario scenario, int connections, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken,
        Func<TimeSpan>? processorTime = null)
    {
        long sequence = 0;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + Ticks(warmUp);
        var end = measureFrom + Ticks(duration);

        async Task<Worker> WorkAsync()
        {
            var worker = new Worker();
            while (Stopwatch.GetTimestamp() < end)
            {
                var sent = Stopwatch.GetTimestamp();
                var (key, error) = await Exchange.SendAsync(client, scenario, Interlocked.Increment(ref sequence), cancellationToken);
                var answered = Stopwatch.GetTimestamp();
                if (sent < measureFrom)
                    continue;
                worker.Latencies.Add(answered - sent);
                worker.Mix[key] = worker.Mix.GetValueOrDefault(key) + 1;
                if (error)
                    worker.Errors++;
            }
            return worker;
        }

        var cpuAtMeasureStart = processorTime is null ? Task.FromResult(TimeSpan.Zero) : Task.Run(async () =>
        {
            await Task.Delay(warmUp, cancellationToken);
            return processorTime();
        }, cancellationToken);
        var workers = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        var cpu = processorTime is null ? (TimeSpan?)null : processorTime() - await cpuAtMeasureStart;
        var seconds = (Stopwatch.GetTimestamp() - measureFrom) / (double)Stopwatch.Frequency;
        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        var mix = workers.SelectMany(w => w.Mix)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);
        return new LoadResult(
            scenario.Name, "closed", connections, seconds, latencies.Length, latencies.Length / seconds,
            Latency.Percentile(latencies, 50), Latency.Percentile(latencies, 99), Latency.Percentile(latencies, 100),
            workers.Sum(w => w.Errors), 0, mix)
        {
            CpuMillisecondsPerRequest = cpu is null || latencies.Length == 0 ? null : cpu.Value.TotalMilliseconds / latencies.Length,
        };
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(capacity: 1 << 16);

        public Dictionary<string, long> Mix { get; } = new(StringComparer.Ordinal);

        public long Errors { get; set; }
    }
}
