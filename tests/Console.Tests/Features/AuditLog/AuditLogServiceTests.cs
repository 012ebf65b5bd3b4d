using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

[Collection(AppCollection.Name)]
public sealed class AuditLogServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task GetPageAsync_OlderAndNewer_WalkTheFilteredLogBySequenceFiftyAtATime()
    {
        var subject = $"page-{Guid.NewGuid():N}"[..20];
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await Task.WhenAll(Enumerable.Range(0, 120).Select(_ => writer.CommitAsync(new AuditBatchItem(AuditWriterTests.Entry(subject)))));

        var newest = await PageAsync(new AuditQuery(Subject: subject));
        var middle = await PageAsync(new AuditQuery(Subject: subject, Before: newest.Events[^1].Sequence));
        var oldest = await PageAsync(new AuditQuery(Subject: subject, Before: middle.Events[^1].Sequence));
        var backToMiddle = await PageAsync(new AuditQuery(Subject: subject, After: oldest.Events[0].Sequence));

        newest.Events.Count.ShouldBe(50);
        (newest.HasNewer, newest.HasOlder).ShouldBe((false, true));
        middle.Events.Count.ShouldBe(50);
        (middle.HasNewer, middle.HasOlder).ShouldBe((true, true));
        oldest.Events.Count.ShouldBe(20);
        (oldest.HasNewer, oldest.HasOlder).ShouldBe((true, false));
        backToMiddle.Events.Select(e => e.Sequence).ShouldBe(middle.Events.Select(e => e.Sequence));
        newest.Events.Concat(middle.Events).Concat(oldest.Events).Select(e => e.Sequence).ShouldBeInOrder(SortDirection.Descending);
        newest.Events.ShouldAllBe(e => e.Subject == subject);
    }

    [Fact]
    public async Task GetPageAsync_ByKindPrefixAndActor_ReturnsOnlyMatchingEventsWithMaskedData()
    {
        var subject = $"kind-{Guid.NewGuid():N}"[..20];
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await writer.CommitAsync(new AuditBatchItem(AuditWriterTests.Entry(subject)));
        await writer.CommitAsync(new AuditBatchItem(AuditEntry.Of(AuditActor.System, "agent.orphaned", subject, new { reason = "owner gone" })));

        var decisions = await PageAsync(new AuditQuery(Subject: subject, KindPrefix: "decision."));
        var bySystem = await PageAsync(new AuditQuery(Subject: subject, Actor: "system"));
        var none = await PageAsync(new AuditQuery(Subject: subject, KindPrefix: "decision.denied"));

        decisions.Events.ShouldHaveSingleItem().Kind.ShouldBe("decision.allowed");
        decisions.Events[0].Data.ShouldContain("[email:");
        decisions.Events[0].Data.ShouldNotContain("jo@example.com");
        bySystem.Events.ShouldHaveSingleItem().Kind.ShouldBe("agent.orphaned");
        none.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetPageAsync_AsAgentOwner_IsForbidden()
    {
        var page = await app.AsUserAsync<AuditLogService, Result<AuditPage>>(DemoAccounts.Owner, s => s.GetPageAsync(new AuditQuery()));

        page.Error.Code.ShouldBe("access.forbidden");
    }

    [Fact]
    public async Task GetPageAsync_BySubjectName_FindsTheEventsOfTheAgentOfThatName_AndOfThePersonWithThatEmail()
    {
        var agent = await Warden.Tests.Features.Decisions.AgentApiClient.RegisterAsync(app);
        var agentName = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Warden.Persistence.WardenDbContext>>().CreateDbContextAsync();
            return (await db.Agents.FindAsync(Warden.Domain.Agents.AgentId.Parse(agent.Id)))!.Name;
        });
        var officerId = await app.InScopeAsync(async sp =>
            (await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Warden.Infrastructure.Identity.ApplicationUser>>().FindByEmailAsync(DemoAccounts.Officer))!.Id);
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await writer.CommitAsync(new AuditBatchItem(AuditWriterTests.Entry(agent.Id)));
        await writer.CommitAsync(new AuditBatchItem(AuditWriterTests.Entry(officerId)));

        var byName = await PageAsync(new AuditQuery(Subject: agentName.ToLowerInvariant()));
        var byEmail = await PageAsync(new AuditQuery(Subject: DemoAccounts.Officer.ToUpperInvariant()));
        var byId = await PageAsync(new AuditQuery(Subject: agent.Id));

        byName.Events.ShouldNotBeEmpty();
        byName.Events.ShouldAllBe(e => e.Subject == agent.Id);
        byName.Events.Select(e => e.Sequence).ShouldBe(byId.Events.Select(e => e.Sequence));
        byEmail.Events.ShouldNotBeEmpty();
        byEmail.Events.ShouldAllBe(e => e.Subject == officerId);
    }

    [Fact]
    public async Task GetPageAsync_AFilterOverSeveralIndexRanges_PagesBothWaysExactlyAsTheWholeLogFiltered()
    {
        // The actor filter matches an id on some events and a name on others, and the kind prefix
        // spans three kinds: each is read as several ranges and merged, which must not lose, repeat
        // or reorder an event at any page boundary.
        var key = Guid.NewGuid().ToString("N")[..10];
        var actor = $"act-{key}";
        var prefix = $"probe{key}.";
        var byId = AuditActor.Person(actor, "Someone Else");
        var byName = AuditActor.Agent($"agt_{key}", actor);
        var other = AuditActor.Agent($"agt_other{key}", "Other agent");
        var entries = Enumerable.Range(0, 170).Select(i => (i % 17) switch
        {
            < 8 => AuditEntry.Of(byId, prefix + (i % 2 == 0 ? "alpha" : "beta"), $"s{i}", new { i }),
            < 15 => AuditEntry.Of(byName, prefix + "gamma", $"s{i}", new { i }),
            _ => AuditEntry.Of(other, prefix + "alpha", $"s{i}", new { i }),
        }).ToList();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await Task.WhenAll(entries.Select(e => writer.CommitAsync(new AuditBatchItem(e))));
        var all = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Warden.Persistence.WardenDbContext>>().CreateDbContextAsync();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.AuditEvents.Where(e => e.Kind.StartsWith(prefix)).OrderByDescending(e => e.Sequence)
                    .Select(e => new { e.Sequence, e.ActorId, e.ActorName, e.Kind, e.Subject }));
        });
        all.Count.ShouldBe(170);

        foreach (var (query, expected) in new[]
        {
            (new AuditQuery(Actor: actor), all.Where(e => e.ActorId == actor || e.ActorName == actor)),
            (new AuditQuery(KindPrefix: prefix), all),
            (new AuditQuery(Actor: actor, KindPrefix: prefix + "al"), all.Where(e => (e.ActorId == actor || e.ActorName == actor) && e.Kind == prefix + "alpha")),
            (new AuditQuery(Subject: "s3", KindPrefix: prefix), all.Where(e => e.Subject == "s3")),
            (new AuditQuery(KindPrefix: prefix, From: DateTimeOffset.UtcNow.AddHours(-1), To: DateTimeOffset.UtcNow.AddHours(1)), all),
            (new AuditQuery(Actor: actor, From: DateTimeOffset.UtcNow.AddHours(-1)), all.Where(e => e.ActorId == actor || e.ActorName == actor)),
            (new AuditQuery(KindPrefix: prefix, To: DateTimeOffset.UtcNow.AddDays(-1)), all.Where(e => false)),
        })
        {
            var want = expected.Select(e => e.Sequence).ToList();
            var older = new List<long>();
            AuditPage? page = null;
            var pages = new List<AuditPage>();
            do
            {
                page = await PageAsync(query with { Before = page?.Events[^1].Sequence });
                pages.Add(page);
                older.AddRange(page.Events.Select(e => e.Sequence));
            }
            while (page.HasOlder);
            older.ShouldBe(want, $"{query}: walking older");
            pages.Take(pages.Count - 1).ShouldAllBe(p => p.Events.Count == AuditLogService.PageSize);
            if (pages.Count < 2)
                continue;
            var back = await PageAsync(query with { After = pages[^1].Events[0].Sequence });
            back.Events.Select(e => e.Sequence).ShouldBe(pages[^2].Events.Select(e => e.Sequence), $"{query}: back to newer");
            back.HasNewer.ShouldBe(pages.Count > 2);
            back.HasOlder.ShouldBeTrue();
        }
    }

    [Fact]
    public void ThePeriodsSequenceBounds_AreOneAggregateReadOnBothProviders()
    {
        var query = new AuditQuery(From: DateTimeOffset.UnixEpoch, To: DateTimeOffset.UnixEpoch.AddDays(1));
        using var sqlite = new Warden.Persistence.SqliteWardenDbContext(
            Warden.Persistence.DesignTimeModel.Options<Warden.Persistence.SqliteWardenDbContext>(b => b.UseSqlite("Data Source=:memory:")));
        using var postgres = new Warden.Persistence.PostgresWardenDbContext(
            Warden.Persistence.DesignTimeModel.Options<Warden.Persistence.PostgresWardenDbContext>(b => b.UseNpgsql("Host=localhost;Database=x")));

        foreach (var sql in new[] { AuditLogService.PeriodBounds(sqlite.AuditEvents, query).ToQueryString(), AuditLogService.PeriodBounds(postgres.AuditEvents, query).ToQueryString() })
        {
            sql.ShouldContain("MIN(");
            sql.ShouldContain("MAX(");
            sql.ShouldNotContain("ORDER BY", Case.Insensitive);
        }
    }

    private async Task<AuditPage> PageAsync(AuditQuery query)
    {
        var page = await app.AsUserAsync<AuditLogService, Result<AuditPage>>(DemoAccounts.Auditor, s => s.GetPageAsync(query));
        page.IsSuccess.ShouldBeTrue(page.Error.ToString());
        return page.Value;
    }
}
