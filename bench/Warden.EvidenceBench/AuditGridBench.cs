using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.EvidenceBench;

/// <summary>
/// The audit log page over a seeded log: every filter the page offers, alone and combined, the newest
/// page, a deep page (older than 90 % of the log) and the "newer" direction, each read through the
/// app's own <see cref="AuditLogService"/> as the demo auditor. Prints p50 and p95 per case.
/// dotnet run -c Release --project bench/Warden.EvidenceBench -- --audit-grid 1000000 [--runs 20] [--only "day"]
/// </summary>
internal static class AuditGridBench
{
    private const int Days = 30;
    private const string Heavy = "agt_bench_heavy";
    private const string Officer = "usr_bench_officer";

    /// <summary>
    /// A third of the events come from one busy agent, one in a hundred from the system, one in a
    /// thousand from an officer, the rest from 997 agents; seven in ten are decisions, one approvals,
    /// one agent changes, and one in five thousand a trip.
    /// </summary>
    private static (AuditActor, string, string) Shape(int i)
    {
        var actor = i % 1000 == 1 ? AuditActor.Person(Officer, "Bench Officer")
            : i % 100 == 2 ? AuditActor.System
            : i % 3 == 0 ? AuditActor.Agent(Heavy, Heavy)
            : AuditActor.Agent(AgentOf(i), AgentOf(i));
        var kind = (i % 10) switch
        {
            < 4 => "decision.allowed",
            4 => "decision.denied",
            5 => "decision.pending",
            6 => "decision.outcome_reported",
            7 => "approval.voted",
            8 => "agent.updated",
            _ => i % 5000 == 9 ? "containment.tripped" : "policy.saved",
        };
        var subject = kind.StartsWith("decision.", StringComparison.Ordinal) ? $"dec_{i:D10}"
            : kind == "agent.updated" ? AgentOf(i)
            : kind == "approval.voted" ? $"apr_{i / 10:D9}"
            : kind == "containment.tripped" ? $"cnt_{i:D10}" : "policy";
        return (actor, kind, subject);
    }

    private static string AgentOf(int i) => string.Create(CultureInfo.InvariantCulture, $"agt_bench_{i % 997:D4}");

    public static async Task RunAsync(int events, int runs, string? only = null)
    {
        await using var host = new BenchHost();
        _ = host.Services;
        var end = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
        var start = end.AddDays(-Days);
        var seedWatch = Stopwatch.StartNew();
        EventSeeder.Seed(host.DataDirectory, events, start, end, host.Services.GetRequiredService<AuditCheckpointKey>().Signer, Shape);
        Console.WriteLine($"Seeded {events:N0} events over {Days} days in {seedWatch.Elapsed.TotalSeconds:0.0} s.");

        // The seeder writes past the app's writer, as an upgrade finds a log written before the writer
        // kept its times in order: the log is scanned once to place the mark, as at start-up.
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync())
        {
            await db.AuditTimeOrder.ExecuteDeleteAsync();
            var scanWatch = Stopwatch.StartNew();
            await host.Services.GetRequiredService<AuditTimeOrder>().ScanAsync(CancellationToken.None);
            Console.WriteLine($"Scanned the log's times in {scanWatch.Elapsed.TotalSeconds:0.00} s: in order from sequence {await AuditTimeOrder.OrderedFromAsync(db, CancellationToken.None)}.");
        }
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineDescription.LoadAverage()}");

        await using var scope = host.Services.CreateAsyncScope();
        await GridTiming.SignInAsync(scope.ServiceProvider, "auditor@warden.example");
        var log = scope.ServiceProvider.GetRequiredService<AuditLogService>();
        var deep = events / 10L;
        var day = new DateTime(2026, 11, 10, 0, 0, 0, DateTimeKind.Utc);
        var cases = new List<(string Name, AuditQuery Query)>
        {
            ("no filter", new()),
            ("actor: busy agent (33 %)", new(Actor: Heavy)),
            ("actor: one of 997 agents (0.07 %)", new(Actor: AgentOf(4))),
            ("actor: officer by name (0.1 %)", new(Actor: "Bench Officer")),
            ("actor: system (1 %)", new(Actor: "system")),
            ("kind: decision. (70 %)", new(KindPrefix: "decision.")),
            ("kind: approval. (10 %)", new(KindPrefix: "approval.")),
            ("kind: containment. (0.02 %)", new(KindPrefix: "containment.")),
            ("kind: decision.denied (10 %)", new(KindPrefix: "decision.denied")),
            ("subject: an agent (agent.updated, 0.01 %)", new(Subject: AgentOf(8))),
            ("subject: one decision", new(Subject: $"dec_{events / 2 / 10 * 10:D10}")),
            ("actor busy + kind approval.", new(Actor: Heavy, KindPrefix: "approval.")),
            ("actor officer + kind decision.", new(Actor: "Bench Officer", KindPrefix: "decision.")),
            ("one day (3 %)", new(From: day, To: day.AddDays(1))),
            ("seven days (23 %)", new(From: day, To: day.AddDays(7))),
            ("the whole log's period", new(From: start, To: end)),
            ("from a day on, no end (50 %)", new(From: day)),
            ("one day + actor one agent", new(Actor: AgentOf(4), From: day, To: day.AddDays(1))),
            ("one day + kind approval.", new(KindPrefix: "approval.", From: day, To: day.AddDays(1))),
        };

        GridTiming.Header();
        var worst = 0.0;
        foreach (var (name, query) in cases.Where(c => only is null || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var (page, paged) in new[] { ("newest", query), ("older than 90 %", query with { Before = deep }), ("newer than 10 %", query with { After = deep }) })
            {
                var (rows, timings) = await GridTiming.TimeAsync(async () => await ReadAsync(log, paged), runs);
                worst = Math.Max(worst, GridTiming.Row(name, page, rows, timings));
            }
        }
        GridTiming.Footer(worst);
    }

    private static async Task<int> ReadAsync(AuditLogService log, AuditQuery query)
    {
        var page = await log.GetPageAsync(query);
        return page.IsSuccess ? page.Value.Events.Count : throw new InvalidOperationException(page.Error.ToString());
    }
}
