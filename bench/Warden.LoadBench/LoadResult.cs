using System.Diagnostics;

namespace Warden.LoadBench;

/// <summary>What one load run measured. Latencies are in milliseconds.</summary>
public sealed record LoadResult(
    string Scenario,
    string Mode,
    int Connections,
    double Seconds,
    long Requests,
    double PerSecond,
    double P50,
    double P99,
    double Max,
    long Errors,
    long Unfinished,
    IReadOnlyDictionary<string, long> Mix)
{
    /// <summary>The app process's CPU time over the measured requests, in milliseconds per request (null when not measured).</summary>
    public double? CpuMillisecondsPerRequest { get; init; }

    /// <summary>Percentiles that count unfinished requests at the time they were given up are lower bounds.</summary>
    public bool LowerBound => Unfinished > 0;
}

public static class Latency
{
    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Nearest-rank percentile of sorted tick values, in milliseconds.</summary>
    public static double Percentile(long[] sorted, double percentile)
    {
        if (sorted.Length == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return Milliseconds(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }
}

/// <summary>Sends one request and names its answer; transport failures and timeouts are errors.</summary>
public static class Exchange
{
    public static async Task<(string Key, bool Error)> SendAsync(HttpClient client, Scenario scenario, long sequence, CancellationToken cancellationToken)
    {
        try
        {
            using var request = scenario.Create(sequence);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return (scenario.Classify(response.StatusCode, body), !scenario.Expected.Contains(response.StatusCode));
        }
        catch (HttpRequestException ex)
        {
            return ($"transport error ({ex.HttpRequestError})", true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("client timeout", true);
        }
    }
}
