using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Persistence;
using Warden.Tests.Support;
using App = Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>;

namespace Warden.Tests.Features.AuditLog;

/// <summary>
/// The log's times in sequence order: the writer keeps them so, the scan finds where they start to be,
/// and the audit page reads a period of the ordered part as one range of sequences, exactly as the log
/// filtered by time, whatever the clock did.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditTimeOrderTests
{
    [Fact]
    public async Task TheWriter_CarriesAClockALittleBehindToTheHeadsTime_AndRecordsAClockFarBehindAsItIs_AfterMovingTheMark()
    {
        var clock = new SteppedClock();
        await using var app = WardenAppFactory.With();
        await using var timed = WithClock(app, clock);
        await ScannedAsync(timed);
        var writer = timed.Services.GetRequiredService<AuditWriter>();

        var first = await EventAsync(timed, await writer.CommitAsync(Item("order-first")));
        clock.Offset = TimeSpan.FromSeconds(-2);
        var carried = await EventAsync(timed, await writer.CommitAsync(Item("order-carried")));
        clock.Offset = TimeSpan.FromMinutes(-10);
        var behind = await EventAsync(timed, await writer.CommitAsync(Item("order-behind")));
        var markAfterStep = await MarkAsync(timed);
        clock.Offset = TimeSpan.FromMinutes(-10) + TimeSpan.FromSeconds(1);
        var next = await EventAsync(timed, await writer.CommitAsync(Item("order-next")));

        carried.At.ShouldBe(first.At, "a clock 2 s behind is carried to the head's time");
        behind.At.ShouldBeLessThan(first.At - TimeSpan.FromMinutes(9), "a clock 10 min behind keeps its own time");
        markAfterStep.ShouldBe(behind.Sequence);
        next.At.ShouldBeGreaterThan(behind.At);
        (await MarkAsync(timed)).ShouldBe(behind.Sequence, "the events after the step are in order again: the mark stays");
        var verification = await timed.AsUserAsync<AuditVerificationService, Result<AuditVerificationReport>>(DemoAccounts.Auditor, s => s.VerifyAsync());
        verification.Value.Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task APeriod_PagesExactlyAsTheWholeLogFilteredByTime_AcrossTheMark_AndBeforeTheLogIsScanned()
    {
        var clock = new SteppedClock();
        await using var app = WardenAppFactory.With();
        await using var timed = WithClock(app, clock);
        await ScannedAsync(timed);
        var writer = timed.Services.GetRequiredService<AuditWriter>();
        var start = DateTimeOffset.UtcNow;

        // 90 events a second apart, then the clock ten minutes back (the mark moves), 90 more, then
        // five minutes ahead, 60 more; three actors and two kinds among them.
        var key = Guid.NewGuid().ToString("N")[..8];
        var actors = new[] { AuditActor.Agent($"agt_a{key}", $"alpha-{key}"), AuditActor.Agent($"agt_b{key}", $"beta-{key}"), AuditActor.System };
        var i = 0;
        foreach (var (from, count) in new[] { (TimeSpan.Zero, 90), (TimeSpan.FromMinutes(-10), 90), (TimeSpan.FromMinutes(5), 60) })
        {
            for (var n = 0; n < count; n++, i++)
            {
                clock.Offset = from + TimeSpan.FromSeconds(n);
                await writer.CommitAsync(new AuditBatchItem(AuditEntry.Of(actors[i % 3], $"tord{key}." + (i % 4 == 0 ? "held" : "seen"), $"s{i}", new { i })));
            }
        }
        var mark = await MarkAsync(timed);
        mark.ShouldBeGreaterThan(1);
        var all = await AllAsync(timed);

        var queries = new List<AuditQuery>
        {
            new(From: start.AddMinutes(-9)),                                    // the second run's last part and everything after
            new(From: start.AddMinutes(-9), To: start.AddSeconds(45)),          // across the step: both sides of the mark
            new(To: start.AddMinutes(-9)),                                      // the second run's start only
            new(From: start.AddSeconds(30), To: start.AddSeconds(70)),          // before the mark only
            new(From: start.AddMinutes(4)),                                     // the last run
            new(From: start.AddMinutes(-20), To: start.AddMinutes(20)),         // the whole log of the test
            new(From: start.AddMinutes(30)),                                    // nothing
            new(Actor: $"alpha-{key}", From: start.AddMinutes(-9), To: start.AddSeconds(45)),
            new(KindPrefix: $"tord{key}.h", From: start.AddMinutes(-9)),
            new(Actor: "system", KindPrefix: $"tord{key}.", To: start.AddMinutes(6)),
        };
        foreach (var query in queries)
            await ShouldPageAsTheFilteredLogAsync(timed, query, all, key);

        // Before the log is scanned the mark is not used: the same pages, read the slower way.
        await UnscanAsync(timed);
        (await ReadMarkAsync(timed)).ShouldBeNull();
        foreach (var query in queries)
            await ShouldPageAsTheFilteredLogAsync(timed, query, all, key);

        // Scanned again, the mark lands on the same event.
        await timed.Services.GetRequiredService<AuditTimeOrder>().ScanAsync(TestContext.Current.CancellationToken);
        (await MarkAsync(timed)).ShouldBe(mark);
    }

    [Fact]
    public async Task TheScan_PlacesTheMarkAtTheLastEventEarlierThanTheOneBefore_OnlyMovesItForward_AndRunsOnce_OnPostgres()
    {
        Assert.SkipWhen(!ThrowawayPostgres.Available, "PostgreSQL 15 binaries are not installed.");
        using var cluster = ThrowawayPostgres.Start();
        var options = DesignTimeModel.Options<PostgresWardenDbContext>(b => b.UseNpgsql(cluster.ConnectionString()));
        await using (var db = new PostgresWardenDbContext(options))
        {
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
            // Times written before the writer kept them in order: two steps back, at 4 and at 7.
            var minutes = new[] { 0, 1, 2, 1, 3, 4, 2, 5, 6 };
            var hash = AuditChain.GenesisHash;
            for (var n = 0; n < minutes.Length; n++)
            {
                var e = AuditEvent.Chain(n + 1, hash, DateTimeOffset.UnixEpoch.AddMinutes(minutes[n]), AuditActor.System, "probe.seen", $"s{n}", "{}");
                db.AuditEvents.Add(e);
                hash = e.Hash;
            }
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var order = new AuditTimeOrder(new Contexts(options), TimeProvider.System, NullLogger<AuditTimeOrder>.Instance);

        await order.ScanAsync(TestContext.Current.CancellationToken);
        await using (var db = new PostgresWardenDbContext(options))
        {
            (await AuditTimeOrder.OrderedFromAsync(db, TestContext.Current.CancellationToken)).ShouldBe(7);

            // A writer's move to an earlier event than the mark leaves it where it is; a later one moves it.
            await order.MoveToAsync(db, 3, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), TestContext.Current.CancellationToken);
            (await AuditTimeOrder.OrderedFromAsync(db, TestContext.Current.CancellationToken)).ShouldBe(7);
            await order.MoveToAsync(db, 10, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), TestContext.Current.CancellationToken);
            (await AuditTimeOrder.OrderedFromAsync(db, TestContext.Current.CancellationToken)).ShouldBe(10);
        }

        // A scanned log is not scanned again.
        await order.ScanAsync(TestContext.Current.CancellationToken);
        await using (var db = new PostgresWardenDbContext(options))
            (await AuditTimeOrder.OrderedFromAsync(db, TestContext.Current.CancellationToken)).ShouldBe(10);

        // A writer that moves the mark before any scan creates it unscanned; the scan then keeps the larger mark.
        await using (var db = new PostgresWardenDbContext(options))
        {
            await db.AuditTimeOrder.ExecuteDeleteAsync(TestContext.Current.CancellationToken);
            await order.MoveToAsync(db, 9, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), TestContext.Current.CancellationToken);
            (await AuditTimeOrder.OrderedFromAsync(db, TestContext.Current.CancellationToken)).ShouldBeNull();
        }
        await order.ScanAsync(TestContext.Current.CancellationToken);
        await using (var db = new PostgresWardenDbContext(options))
            (await AuditTimeOrder.OrderedFromAsync(db, TestContext.Current.CancellationToken)).ShouldBe(9);
    }

    private static async Task ShouldPageAsTheFilteredLogAsync(App app, AuditQuery query, List<AuditEventRow> all, string key)
    {
        var actor = query.Actor;
        var prefix = query.KindPrefix;
        var want = all
            .Where(e => query.From is not { } from || e.At >= from)
            .Where(e => query.To is not { } to || e.At < to)
            .Where(e => actor is null || e.ActorId == actor || e.ActorName == actor)
            .Where(e => prefix is null || e.Kind.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => e.Sequence)
            .ToList();
        var older = new List<long>();
        var pages = new List<AuditPage>();
        AuditPage? page = null;
        do
        {
            page = await PageAsync(app, query with { Before = page?.Events[^1].Sequence });
            pages.Add(page);
            older.AddRange(page.Events.Select(e => e.Sequence));
        }
        while (page.HasOlder);
        // Events the app records after the log was read are past the oracle: they are left out of the comparison.
        var known = all.Count == 0 ? 0 : all[0].Sequence;
        older.Where(s => s <= known).ShouldBe(want, $"{query} ({key}): walking older");
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.Events.Count == AuditLogService.PageSize);
        if (pages.Count < 2)
            return;
        var back = await PageAsync(app, query with { After = pages[^1].Events[0].Sequence });
        back.Events.Select(e => e.Sequence).ShouldBe(pages[^2].Events.Select(e => e.Sequence), $"{query}: back to newer");
    }

    private static async Task<AuditPage> PageAsync(App app, AuditQuery query)
    {
        var page = await app.AsUserAsync<AuditLogService, Result<AuditPage>>(DemoAccounts.Auditor, s => s.GetPageAsync(query));
        page.IsSuccess.ShouldBeTrue(page.Error.ToString());
        return page.Value;
    }

    /// <summary>The app with <paramref name="clock"/> as its time.</summary>
    private static App WithClock(WardenAppFactory app, TimeProvider clock) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.Replace(ServiceDescriptor.Singleton(clock))));

    private static async Task<T> InScopeAsync<T>(App app, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private static AuditBatchItem Item(string subject) => new(AuditWriterTests.Entry(subject));

    private static Task<AuditEventRow> EventAsync(App app, long sequence) => InScopeAsync(app, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        var e = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == sequence);
        return new AuditEventRow(e.Sequence, e.At, e.ActorKind, e.ActorId, e.ActorName, e.Kind, e.Subject, e.Data, e.Hash);
    });

    private static Task<List<AuditEventRow>> AllAsync(App app) => InScopeAsync(app, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        var events = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).ToListAsync();
        return events.Select(e => new AuditEventRow(e.Sequence, e.At, e.ActorKind, e.ActorId, e.ActorName, e.Kind, e.Subject, e.Data, e.Hash)).ToList();
    });

    private static Task<long?> ReadMarkAsync(App app) => InScopeAsync(app, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        return await AuditTimeOrder.OrderedFromAsync(db, CancellationToken.None);
    });

    private static async Task<long> MarkAsync(App app) => (await ReadMarkAsync(app)).ShouldNotBeNull();

    private static Task<int> UnscanAsync(App app) => InScopeAsync(app, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        return await db.AuditTimeOrder.ExecuteUpdateAsync(s => s.SetProperty(m => m.ScannedAt, (DateTimeOffset?)null));
    });

    /// <summary>Waits for the start-up scan of the log's times.</summary>
    private static async Task ScannedAsync(App app)
    {
        for (var i = 0; i < 100 && await ReadMarkAsync(app) is null; i++)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        (await ReadMarkAsync(app)).ShouldBe(1);
    }

    /// <summary>The system's clock moved by <see cref="Offset"/>; its timers are the system's.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
    }

    private sealed class Contexts(DbContextOptions<PostgresWardenDbContext> options) : IDbContextFactory<WardenDbContext>
    {
        public WardenDbContext CreateDbContext() => new PostgresWardenDbContext(options);
    }
}
