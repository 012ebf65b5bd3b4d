using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Agents;

/// <summary>
/// The directory's tag filter reads the AgentTags table; every way tags are written keeps it in step
/// with the agent's own tag list (registration, edit, approved change request, import).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AgentTagFilterTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAgentsAsync_ByTag_AfterRegistration_FindsTheAgentUnderEachOfItsTags()
    {
        var (first, second) = (Tag(), Tag());
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid() with { Tags = [first, second] });

        var byFirst = await TaggedAsync(first);
        var bySecond = await TaggedAsync(second);

        byFirst.ShouldBe([id]);
        bySecond.ShouldBe([id]);
        (await RowsAsync(id)).ShouldBe([first, second], ignoreOrder: true);
    }

    [Fact]
    public async Task GetAgentsAsync_ByTag_AfterAnEdit_FindsTheAgentUnderItsNewTagsOnly()
    {
        var (kept, dropped, added) = (Tag(), Tag(), Tag());
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid() with { Tags = [kept, dropped] });
        var draft = await DraftAsync(id);

        var edited = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.EditAsync(id, draft with { Tags = [kept, added] }));

        edited.IsSuccess.ShouldBeTrue(edited.Error.ToString());
        (await TaggedAsync(kept)).ShouldBe([id]);
        (await TaggedAsync(added)).ShouldBe([id]);
        (await TaggedAsync(dropped)).ShouldBeEmpty();
        (await RowsAsync(id)).ShouldBe([kept, added], ignoreOrder: true);
    }

    [Fact]
    public async Task GetAgentsAsync_ByTag_AfterAnOwnersWideningIsApproved_FindsTheAgentUnderTheNewTag()
    {
        var (old, added) = (Tag(), Tag());
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid() with { Tags = [old] });
        var draft = await DraftAsync(id);
        var submitted = await app.AsUserAsync<AgentRegistryService, Result<AgentEditOutcome>>(DemoAccounts.Owner,
            s => s.SubmitEditAsync(id, draft with { Tags = [old, added] }));
        submitted.Value.AwaitingReview.ShouldBeTrue("adding a tag widens the agent: an officer reviews it");
        var before = await TaggedAsync(added);

        var approved = await app.AsUserAsync<AgentChangeReviewService, Result>(DemoAccounts.Officer, s => s.ApproveAsync(submitted.Value.ChangeRequestId!));

        approved.IsSuccess.ShouldBeTrue(approved.Error.ToString());
        before.ShouldBeEmpty();
        (await TaggedAsync(added)).ShouldBe([id]);
        (await TaggedAsync(old)).ShouldBe([id]);
    }

    [Fact]
    public async Task GetAgentsAsync_ByTag_AfterAnImport_FindsEveryImportedAgentWithTheTag()
    {
        var (shared, own) = (Tag(), Tag());
        var name = $"Tagged import {Guid.NewGuid():N}"[..26];
        var json = $$"""
            [
              { "name": "{{name}} A", "purpose": "Reads tickets.", "segment": "support", "tags": ["{{shared}}", "{{own}}"],
                "tools": [ { "name": "tickets.read", "operations": ["read"], "risk": "low" } ], "ownerEmail": "owner@warden.example" },
              { "name": "{{name}} B", "purpose": "Closes tickets.", "segment": "support", "tags": ["{{shared.ToUpperInvariant()}}"],
                "tools": [ { "name": "tickets.close", "operations": ["write"], "risk": "medium" } ], "ownerEmail": "owner@warden.example" }
            ]
            """;

        var imported = await app.AsUserAsync<AgentImportService, Result<ImportResult>>(DemoAccounts.Officer, s => s.ImportAsync(json));

        imported.Value.Errors.ShouldBeEmpty();
        var names = await app.AsUserAsync<AgentDirectoryService, Result<AgentPage>>(DemoAccounts.Officer,
            s => s.GetAgentsAsync(new AgentQuery { Tag = shared, PageSize = 100, SortBy = AgentSortColumn.Name }));
        names.Value.Items.Select(a => a.Name).ShouldBe([$"{name} A", $"{name} B"]);
        names.Value.Total.ShouldBe(2);
        (await TaggedAsync(own)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetAgentsAsync_ByTag_ForAnOwner_CountsOnlyTheirAgents()
    {
        var tag = Tag();
        var mine = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid() with { Tags = [tag] });
        await RegisterAsync(DemoAccounts.Owner2, AgentDraftBuilder.Valid() with { Tags = [tag] });

        var page = await app.AsUserAsync<AgentDirectoryService, Result<AgentPage>>(DemoAccounts.Owner,
            s => s.GetAgentsAsync(new AgentQuery { Tag = tag, PageSize = 100 }));

        page.Value.Items.Select(a => a.Id).ShouldBe([mine]);
        page.Value.Total.ShouldBe(1);
    }

    [Fact]
    public async Task SaveChanges_AfterASaveOfANewAgentFailed_SavesItsTagsOnceOnTheRetry()
    {
        var tag = Tag();
        var taken = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid());
        var takenName = (await DraftAsync(taken)).Name;
        var owner = new OwnerCandidate(new UserId(await OwnerIdAsync()), IsActive: true, HoldsAgentOwnerRole: true);
        var now = DateTimeOffset.UtcNow;
        var profile = AgentDrafts.ToProfile(AgentDraftBuilder.Valid(takenName) with { Tags = [tag] }).Value;
        var agent = Agent.Register(AgentId.New(now), profile, owner, null, now).Value;
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        db.Agents.Add(agent);
        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Cancel));

        agent.Edit(profile with { Name = takenName + " again" }, now).IsSuccess.ShouldBeTrue();
        await db.SaveChangesAsync(Cancel);

        (await RowsAsync(agent.Id.Value)).ShouldBe([tag]);
    }

    private static string Tag() => $"t-{Guid.NewGuid():N}"[..14];

    private async Task<List<string>> TaggedAsync(string tag)
    {
        var page = await app.AsUserAsync<AgentDirectoryService, Result<AgentPage>>(DemoAccounts.Officer,
            s => s.GetAgentsAsync(new AgentQuery { Tag = tag, PageSize = 100 }));
        page.IsSuccess.ShouldBeTrue(page.Error.ToString());
        page.Value.Total.ShouldBe(page.Value.Items.Count);
        return page.Value.Items.Select(a => a.Id).ToList();
    }

    private async Task<List<string>> RowsAsync(string agentId)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var id = AgentId.Parse(agentId);
        return await db.AgentTags.AsNoTracking().Where(t => t.AgentId == id).Select(t => t.Tag).ToListAsync(Cancel);
    }

    private async Task<string> RegisterAsync(string email, AgentDraft draft)
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(email, s => s.RegisterAsync(draft));
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }

    private async Task<AgentDraft> DraftAsync(string id)
    {
        var details = await app.AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Officer, s => s.GetAgentAsync(id));
        return AgentDrafts.FromDetails(details.Value);
    }

    private async Task<string> OwnerIdAsync()
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        return await db.Users.Where(u => u.Email == DemoAccounts.Owner).Select(u => u.Id).SingleAsync(Cancel);
    }
}
