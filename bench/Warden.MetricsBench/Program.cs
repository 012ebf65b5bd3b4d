using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Behaviour;
using Warden.Domain.Metrics;
using Warden.Features.Behaviour;
using Warden.Features.Decisions;
using Warden.Features.Metrics;
using Warden.EvidenceBench;
using Warden.LoadBench;

namespace Warden.MetricsBench;

/// <summary>
/// dotnet run -c Release --project bench/Warden.MetricsBench -- --decisions 1000000
/// Seeds the decisions into a fresh SQLite file, then times the governance metrics (the dashboard's
/// reader and calculator, overall and for one owner and one agent) and measures the baseline update:
/// the domain fold alone, and the enqueue the decision path pays.
/// </summary>
internal static class Harness
{
    public static async Task Main(string[] args)
    {
        var count = int.Parse(args.SkipWhile(a => a != "--decisions").Skip(1).FirstOrDefault() ?? "1000000", CultureInfo.InvariantCulture);
        Console.WriteLine(MachineInfo.Describe(TimeProvider.System.GetUtcNow()));
        Console.WriteLine();
        Baselines();

        await using var host = new BenchHost();
        _ = host.Services;
        var end = TimeProvider.System.GetUtcNow();
        var period = MetricPeriod.Ending(end, TimeSpan.FromDays(7));
        var seed = Stopwatch.StartNew();
        DecisionSeeder.Seed(host.DataDirectory, count, 200, period.Previous.Start, end);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {count:#,0} decisions over 14 days in {seed.Elapsed.TotalSeconds:0.0} s"));

        var reader = host.Services.GetRequiredService<GovernanceHistoryReader>();
        Console.WriteLine("| run | read s | compute overall ms | compute one agent ms | tool calls counted | unsafe attempts |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (var run = 1; run <= 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var history = await reader.ReadAsync(period, CancellationToken.None);
            var read = watch.Elapsed;
            watch.Restart();
            var overall = GovernanceCalculator.Compute(history, MetricScope.Overall, period);
            _ = GovernanceHistoryReader.Buckets(history, MetricScope.Overall, period);
            var computeOverall = watch.Elapsed;
            watch.Restart();
            _ = GovernanceCalculator.Compute(history, MetricScope.Agent("agt_bench_0007"), period);
            var computeAgent = watch.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run} | {read.TotalSeconds:0.00} | {computeOverall.TotalMilliseconds:0.0} | {computeAgent.TotalMilliseconds:0.0} | {(overall.ToolCalls.Current ?? 0) + (overall.ToolCalls.Previous ?? 0):#,0} | {overall.UnsafeAttempts.Current:#,0} |"));
        }

        Enqueue(host.Services.GetRequiredService<BehaviourMonitor>());
    }

    /// <summary>The domain fold: one agent's baseline over a million steady decisions, time and allocation per decision.</summary>
    private static void Baselines()
    {
        const int n = 1_000_000;
        var tools = new[] { "crm.read", "crm.update", "mail.draft", "calendar.read" };
        var resources = Enumerable.Range(0, 100).Select(i => $"crm/accounts/{i}").ToArray();
        var start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var observations = Enumerable.Range(0, n)
            .Select(i => new BehaviourObservation(start.AddSeconds(i * 0.5), tools[i % tools.Length], resources[i % resources.Length], i % 50 == 0))
            .ToArray();
        var settings = BaselineSettings.Default;
        var warm = new AgentBaseline();
        for (var i = 0; i < 10_000; i++)
            warm.Observe(observations[i], settings);

        var baseline = new AgentBaseline();
        var found = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
            found += baseline.Observe(observations[i], settings).Count;
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline fold: {n:#,0} decisions, {watch.Elapsed.TotalMilliseconds * 1e6 / n:0} ns/op, {allocated / (double)n:0.00} B/op allocated, {found} anomalies (steady traffic)"));
    }

    /// <summary>What the decision path pays: queueing one committed decision for the baselines.</summary>
    private static void Enqueue(BehaviourMonitor monitor)
    {
        const int n = 200_000;
        var records = Enumerable.Range(0, n).Select(i => new DecisionRecord
        {
            Id = $"dec_enqueue_{i}", AgentId = $"agt_enqueue_{i % 50}", DecidedAt = TimeProvider.System.GetUtcNow(), Tool = "crm.read", Resource = "crm/accounts/1",
        }).ToArray();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        foreach (var record in records)
            monitor.Observe(record);
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"enqueue on the decision path: {n:#,0} decisions, {watch.Elapsed.TotalMilliseconds * 1e6 / n:0} ns/op, {allocated / (double)n:0.00} B/op allocated, {monitor.Dropped:#,0} dropped (queue full)"));
    }
}
