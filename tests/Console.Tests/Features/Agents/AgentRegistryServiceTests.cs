using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Agents;

[Collection(AppCollection.Name)]
public sealed class AgentRegistryServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task RegisterAsync_ByOwner_CreatesAnActiveAgentTheyOwnWithARecordedChange()
    {
        var draft = AgentDraftBuilder.Valid();

        var id = await RegisterAsync(DemoAccounts.Owner, draft);

        var details = await GetAsync(DemoAccounts.Owner, id);
        details.Summary.Status.ShouldBe(AgentStatus.Active);
        details.Summary.Owner.Email.ShouldBe(DemoAccounts.Owner);
        details.Summary.AutonomyLevel.ShouldBe(0);
        var change = details.Changes.ShouldHaveSingleItem();
        change.Kind.ShouldBe("registered");
        change.ActorName.ShouldBe(DemoAccounts.Owner);
        change.After!.ShouldContain(draft.Name);
    }

    [Fact]
    public async Task RegisterAsync_ByOwnerForSomeoneElse_IsRefusedAndCreatesNothing()
    {
        var owner2 = await UserIdAsync(DemoAccounts.Owner2);
        var draft = AgentDraftBuilder.Valid() with { OwnerId = owner2 };

        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(draft));

        result.Error.ShouldBe(AgentRegistryErrors.OwnersRegisterForThemselves);
        (await CountNamedAsync(draft.Name)).ShouldBe(0);
    }

    [Fact]
    public async Task RegisterAsync_ByOfficerForAnOwner_Succeeds()
    {
        var owner2 = await UserIdAsync(DemoAccounts.Owner2);

        var id = await RegisterAsync(DemoAccounts.Officer, AgentDraftBuilder.Valid() with { OwnerId = owner2 });

        (await GetAsync(DemoAccounts.Owner2, id)).Summary.Owner.Email.ShouldBe(DemoAccounts.Owner2);
    }

    [Fact]
    public async Task RegisterAsync_ForAPersonWithoutTheAgentOwnerRole_IsRefused()
    {
        var auditor = await UserIdAsync(DemoAccounts.Auditor);

        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Officer,
            s => s.RegisterAsync(AgentDraftBuilder.Valid() with { OwnerId = auditor }));

        result.Error.Code.ShouldBe("agent.owner_not_eligible");
    }

    [Fact]
    public async Task RegisterAsync_ForAnUnknownOwner_IsRefused()
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Officer,
            s => s.RegisterAsync(AgentDraftBuilder.Valid() with { OwnerId = "no-such-person" }));

        result.Error.Code.ShouldBe("agent.owner_not_eligible");
    }

    [Fact]
    public async Task RegisterAsync_WithBackupEqualToOwner_IsRefused()
    {
        var owner = await UserIdAsync(DemoAccounts.Owner);

        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner,
            s => s.RegisterAsync(AgentDraftBuilder.Valid() with { BackupOwnerId = owner }));

        result.Error.ShouldBe(AgentErrors.BackupIsOwner);
    }

    [Theory]
    [InlineData("")]
    [InlineData("crm//x")]
    [InlineData("crm/**/x")]
    public async Task RegisterAsync_WithInvalidScope_IsRefusedWithTheRule(string scope)
    {
        var draft = AgentDraftBuilder.Valid() with { Scopes = ["erp/ok", scope == "" ? " x y" : scope] };

        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(draft));

        result.Error.Code.ShouldBe("agent.invalid_scope");
        (await CountNamedAsync(draft.Name)).ShouldBe(0);
    }

    [Fact]
    public async Task RegisterAsync_WithNegativeCap_IsRefused()
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner,
            s => s.RegisterAsync(AgentDraftBuilder.Valid() with { MaxRecordsPerAction = -5 }));

        result.Error.ShouldBe(AgentErrors.NegativeCap);
    }

    [Fact]
    public async Task RegisterAsync_WithANameAnActiveAgentHas_IsRefusedButARetiredNameIsFree()
    {
        var name = AgentDraftBuilder.Valid().Name;
        var first = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid(name));

        var clash = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner2,
            s => s.RegisterAsync(AgentDraftBuilder.Valid(name.ToUpperInvariant())));
        await AsAsync(DemoAccounts.Owner, s => s.RetireAsync(first, "replaced"));
        var reuse = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner2,
            s => s.RegisterAsync(AgentDraftBuilder.Valid(name)));

        clash.Error.Code.ShouldBe("agent.name_taken");
        reuse.IsSuccess.ShouldBeTrue(reuse.Error.ToString());
        reuse.Value.ShouldNotBe(first);
    }

    [Fact]
    public async Task SuspendAsync_ByOfficer_RecordsReasonAndBeforeAfter()
    {
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid());

        (await AsAsync(DemoAccounts.Officer, s => s.SuspendAsync(id, "unexpected traffic"))).IsSuccess.ShouldBeTrue();

        var details = await GetAsync(DemoAccounts.Officer, id);
        details.Summary.Status.ShouldBe(AgentStatus.Suspended);
        details.StatusReason.ShouldBe("unexpected traffic");
        var change = details.Changes[0];
        change.Kind.ShouldBe("suspended");
        change.ActorName.ShouldBe(DemoAccounts.Officer);
        change.Before!.ShouldContain("\"status\":\"active\"");
        change.After!.ShouldContain("\"status\":\"suspended\"");
    }

    [Fact]
    public async Task ResumeAsync_ByOwner_IsRefused_OnlyOfficersResume()
    {
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid());
        await AsAsync(DemoAccounts.Owner, s => s.SuspendAsync(id, "pausing"));

        var result = await AsAsync(DemoAccounts.Owner, s => s.ResumeAsync(id, "back"));

        result.Error.Code.ShouldBe("access.forbidden");
        (await GetAsync(DemoAccounts.Owner, id)).Summary.Status.ShouldBe(AgentStatus.Suspended);
    }

    [Fact]
    public async Task AttestAsync_ByOwner_MovesTheDueDate()
    {
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid());

        var result = await AsAsync(DemoAccounts.Owner, s => s.AttestAsync(id));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        (await GetAsync(DemoAccounts.Owner, id)).Changes[0].Kind.ShouldBe("attested");
    }

    [Fact]
    public async Task OwnershipTransfer_OfferedByOwnerAndAcceptedByRecipient_ChangesOwner()
    {
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid());
        var owner2 = await UserIdAsync(DemoAccounts.Owner2);

        (await AsAsync(DemoAccounts.Owner, s => s.OfferOwnershipAsync(id, owner2))).IsSuccess.ShouldBeTrue();
        (await GetAsync(DemoAccounts.Owner2, id)).Permissions.CanAcceptTransfer.ShouldBeTrue();
        (await AsAsync(DemoAccounts.Owner2, s => s.AcceptOwnershipAsync(id))).IsSuccess.ShouldBeTrue();

        (await GetAsync(DemoAccounts.Owner2, id)).Summary.Owner.Email.ShouldBe(DemoAccounts.Owner2);
        (await GetResultAsync(DemoAccounts.Owner, id)).Error.Code.ShouldBe("agent.not_found");
    }

    [Fact]
    public async Task EditAsync_WhenTwoEditorsRace_OneWinsAndTheOtherIsToldItChanged()
    {
        var id = await RegisterAsync(DemoAccounts.Owner, AgentDraftBuilder.Valid());
        var factory = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        await using var stale = factory.CreateDbContext();
        var copy = await stale.Agents.SingleAsync(a => a.Id == AgentId.Parse(id), TestContext.Current.CancellationToken);

        await AsAsync(DemoAccounts.Officer, s => s.SuspendAsync(id, "first writer"));
        copy.Suspend("second writer", DateTimeOffset.UnixEpoch).IsSuccess.ShouldBeTrue();
        var lost = await Should.ThrowAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync(TestContext.Current.CancellationToken));

        lost.ShouldNotBeNull();
        (await GetAsync(DemoAccounts.Officer, id)).StatusReason.ShouldBe("first writer");
    }

    private Task<Result> AsAsync(string email, Func<AgentRegistryService, Task<Result>> call) =>
        app.AsUserAsync(email, call);

    private async Task<string> RegisterAsync(string email, AgentDraft draft)
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(email, s => s.RegisterAsync(draft));
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }

    private async Task<AgentDetails> GetAsync(string email, string id)
    {
        var result = await GetResultAsync(email, id);
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }

    private Task<Result<AgentDetails>> GetResultAsync(string email, string id) =>
        app.AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(email, s => s.GetAgentAsync(id));

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<int> CountNamedAsync(string name)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var normalized = Agent.NormalizeName(name);
        return await db.Agents.CountAsync(a => a.NormalizedName == normalized);
    }
}
