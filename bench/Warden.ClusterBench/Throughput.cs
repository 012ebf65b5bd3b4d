using System.Diagnostics;
using Warden.LoadBench;

namespace Warden.ClusterBench;

/// <summary>
/// Closed-loop load of allowed decisions: each sender posts its next request as soon as the last one
/// is answered, with the token of its agent, to the instance that minted the token. Requests that
/// started during the warm-up are not counted.
/// </summary>
internal static class Throughput
{
    /// <param name="agentsPerInstance">Agents per instance; the senders are spread over all agents in turn.</param>
    public static async Task<LoadRow> RunAsync(string name, AppHost registrar, IReadOnlyList<AppHost> instances, int senders, int agentsPerInstance, TimeSpan warmUp, TimeSpan duration)
    {
        Console.WriteLine($"[{name}] registering {agentsPerInstance * instances.Count} agents ...");
        var agents = new List<(HttpClient Client, string Token)>();
        var clients = instances.Select(i => Agents.Client(i.BaseAddress)).ToList();
        try
        {
            for (var i = 0; i < instances.Count; i++)
            {
                for (var a = 0; a < agentsPerInstance; a++)
                {
                    var (id, secret) = await Agents.RegisterAsync(registrar, $"Load {name} {i}-{a:D2}");
                    agents.Add((clients[i], await Agents.TokenAsync(clients[i], id, secret)));
                }
            }
            // Every instance has followed the registrations before the clock starts.
            await Task.Delay(500);
            var loadStart = MachineInfo.LoadAverage();
            Console.WriteLine($"[{name}] {senders} senders for {warmUp.TotalSeconds:F0} s warm-up + {duration.TotalSeconds:F0} s ...");
            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var workers = await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
            {
                var (client, token) = agents[s % agents.Count];
                var latencies = new List<long>(1 << 16);
                var mix = new Dictionary<string, long>(StringComparer.Ordinal);
                long allowed = 0;
                while (Stopwatch.GetTimestamp() < end)
                {
                    var sent = Stopwatch.GetTimestamp();
                    var answer = await Agents.DecideAsync(client, token);
                    var answered = Stopwatch.GetTimestamp();
                    if (sent < measureFrom)
                        continue;
                    latencies.Add(answered - sent);
                    mix[answer.Label] = mix.GetValueOrDefault(answer.Label) + 1;
                    if (answer.Kind == AnswerKind.Allowed)
                        allowed++;
                }
                return (latencies, mix, allowed);
            })));
            var seconds = (Stopwatch.GetTimestamp() - measureFrom) / (double)Stopwatch.Frequency;
            var all = workers.SelectMany(w => w.latencies).Select(t => t * 1000.0 / Stopwatch.Frequency).ToList();
            all.Sort();
            var mixAll = workers.SelectMany(w => w.mix).GroupBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);
            var allowedTotal = workers.Sum(w => w.allowed);
            return new LoadRow(name, instances.Count, senders, agents.Count, seconds, all.Count, allowedTotal, allowedTotal / seconds,
                Stats.Percentile(all, 0.50), Stats.Percentile(all, 0.99), all.Count == 0 ? double.NaN : all[^1],
                mixAll, loadStart, MachineInfo.LoadAverage());
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }
}

internal sealed record LoadRow(
    string Name, int Instances, int Senders, int Agents, double Seconds, long Requests, long Allowed, double AllowedPerSecond,
    double P50, double P99, double Max, IReadOnlyDictionary<string, long> Mix, string LoadAtStart, string LoadAtEnd);

internal static class Stats
{
    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
