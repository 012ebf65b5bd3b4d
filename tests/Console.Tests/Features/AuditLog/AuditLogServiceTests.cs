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

    private async Task<AuditPage> PageAsync(AuditQuery query)
    {
        var page = await app.AsUserAsync<AuditLogService, Result<AuditPage>>(DemoAccounts.Auditor, s => s.GetPageAsync(query));
        page.IsSuccess.ShouldBeTrue(page.Error.ToString());
        return page.Value;
    }
}
