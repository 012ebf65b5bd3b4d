using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Features.Credentials;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using Warden.Tests.Infrastructure.AgentIdentity;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Agents;

/// <summary>The owner who widens their own agent, and the agent that acts before anyone looked at it.</summary>
public sealed class AgentReviewFactory() : WardenAppFactory(new Dictionary<string, string?>
{
    // The production default, which the other tests' factory turns off.
    ["Directory:NewAgentsNeedReview"] = "true",
    // A receiver nobody listens on: the outbox rows are what the tests read.
    ["Notifications:WebhookUrl"] = "http://127.0.0.1:9/warden-hook",
    ["Notifications:MaxAttempts"] = "1",
});

[Collection(AppCollection.Name)]
public sealed class AgentReviewTests(AgentReviewFactory app) : IClassFixture<AgentReviewFactory>
{
    [Fact]
    public void NewAgentsNeedReview_IsOnByDefault()
    {
        new DirectoryOptions().NewAgentsNeedReview.ShouldBeTrue();
    }

    [Fact]
    public async Task RegisterAsync_ByOwner_StartsPendingReviewAndTheTokenEndpointRefusesIt()
    {
        var id = await RegisterAsync(DemoAccounts.Owner);
        var secret = await app.IssueSecretAsync(id);

        var token = await app.RequestTokenAsync(id, secret);

        (await StatusAsync(id)).ShouldBe(AgentStatus.PendingReview);
        token.AccessToken.ShouldBeNull();
        token.Error.ShouldBe("invalid_client");
    }

    [Fact]
    public async Task ActivateAsync_ByAnotherOfficer_LetsTheAgentGetAToken()
    {
        var id = await RegisterAsync(DemoAccounts.Owner);
        var secret = await app.IssueSecretAsync(id);

        var activated = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.ActivateAsync(id));

        activated.IsSuccess.ShouldBeTrue(activated.Error.ToString());
        (await StatusAsync(id)).ShouldBe(AgentStatus.Active);
        (await app.RequestTokenAsync(id, secret)).AccessToken.ShouldNotBeNull();
        (await AuditKindsAsync(id)).ShouldContain("agent.activated");
    }

    [Fact]
    public async Task ActivateAsync_ByItsOwner_IsRefused()
    {
        var id = await RegisterAsync(DemoAccounts.Owner);

        var activated = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Owner, s => s.ActivateAsync(id));

        activated.Error.Code.ShouldBe("access.forbidden");
        (await StatusAsync(id)).ShouldBe(AgentStatus.PendingReview);
    }

    [Fact]
    public async Task ActivateAsync_ByAnOfficerWhoOwnsTheAgent_IsRefused()
    {
        var officerOwner = await OfficerOwnerAsync();
        var id = await RegisterAsync(officerOwner);

        var activated = await app.AsUserAsync<AgentRegistryService, Result>(officerOwner, s => s.ActivateAsync(id));

        activated.Error.ShouldBe(AgentErrors.OwnerCannotActivate);
        (await StatusAsync(id)).ShouldBe(AgentStatus.PendingReview);
    }

    [Fact]
    public async Task RegisterAsync_ByAnOfficerForAnotherOwner_IsActiveAtOnce()
    {
        var owner2 = await UserIdAsync(DemoAccounts.Owner2);

        var id = await RegisterAsync(DemoAccounts.Officer, AgentDraftBuilder.Valid() with { OwnerId = owner2 });

        (await StatusAsync(id)).ShouldBe(AgentStatus.Active);
    }

    [Fact]
    public async Task ImportAsync_ByOwner_StartsEveryAgentPendingReview()
    {
        var name = $"Imported {Guid.NewGuid():N}"[..30];
        var json = $$"""
            [ { "name": "{{name}}", "purpose": "Reads tickets.", "segment": "support",
                "tools": [ { "name": "tickets.read", "operations": ["read"], "risk": "low" } ], "scopes": ["helpdesk/tickets/*"] } ]
            """;

        var imported = await app.AsUserAsync<AgentImportService, Result<ImportResult>>(DemoAccounts.Owner, s => s.ImportAsync(json));

        imported.Value.Imported.ShouldBe(1);
        var status = await InDbAsync(db => db.Agents.Where(a => a.Name == name).Select(a => a.Status).SingleAsync());
        status.ShouldBe(AgentStatus.PendingReview);
    }

    [Fact]
    public async Task DemoAgents_AreActive()
    {
        var demo = Warden.Features.Demo.DemoAgents.All[0].Id;

        (await InDbAsync(db => db.Agents.Where(a => a.Id == demo).Select(a => a.Status).SingleAsync())).ShouldBe(AgentStatus.Active);
    }

    [Fact]
    public async Task EditAsync_OwnerAddsATool_WaitsForAnOfficerAndChangesNothing()
    {
        var id = await ActiveAgentAsync();
        var draft = await DraftAsync(id);
        var wider = draft with { Tools = [.. draft.Tools, new ToolDraft("erp.payments", [OperationKind.Write], RiskTier.High, null)] };

        var outcome = await SubmitAsync(DemoAccounts.Owner, id, wider);

        outcome.Value.AwaitingReview.ShouldBeTrue();
        outcome.Value.Widenings.ShouldHaveSingleItem().Field.ShouldBe("tool erp.payments");
        (await DraftAsync(id)).Tools.Select(t => t.Name).ShouldBe(["erp.invoices"]);
        var pending = (await PendingAsync(DemoAccounts.Officer)).Where(r => r.AgentId == id).ShouldHaveSingleItem();
        pending.CanDecide.ShouldBeTrue();
        (await AuditKindsAsync(id)).ShouldContain("agent.change_requested");
    }

    [Theory]
    [InlineData("**")]
    [InlineData("*")]
    [InlineData("/**")]
    [InlineData("*/**")]
    public async Task EditAsync_OwnerWidensAScopeToEverything_IsRefusedWithAFormMessage(string pattern)
    {
        var id = await ActiveAgentAsync();
        var draft = await DraftAsync(id);

        var outcome = await SubmitAsync(DemoAccounts.Owner, id, draft with { Scopes = [pattern] });

        outcome.Error.Code.ShouldBe("agent.scope_matches_everything");
        AgentFormErrors.FieldFor(outcome.Error).ShouldBe(AgentFormField.Scopes);
        (await DraftAsync(id)).Scopes.ShouldBe(["erp/invoices/*"]);
        (await PendingAsync(DemoAccounts.Officer)).ShouldNotContain(r => r.AgentId == id);
    }

    [Fact]
    public async Task RegisterAsync_OwnerWithAScopeMatchingEverything_IsRefused()
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner,
            s => s.RegisterAsync(AgentDraftBuilder.Valid() with { Scopes = ["**"] }));

        result.Error.Code.ShouldBe("agent.scope_matches_everything");
    }

    [Fact]
    public async Task EditAsync_OwnerBroadensAScope_WaitsForAnOfficer()
    {
        var id = await ActiveAgentAsync();
        var draft = await DraftAsync(id);

        var outcome = await SubmitAsync(DemoAccounts.Owner, id, draft with { Scopes = ["erp/**"] });

        outcome.Value.AwaitingReview.ShouldBeTrue();
        (await DraftAsync(id)).Scopes.ShouldBe(["erp/invoices/*"]);
    }

    [Fact]
    public async Task EditAsync_OwnerRaisesACap_WaitsForAnOfficer()
    {
        var id = await ActiveAgentAsync(AgentDraftBuilder.Valid() with { MaxRecordsPerAction = 10 });
        var draft = await DraftAsync(id);

        var outcome = await SubmitAsync(DemoAccounts.Owner, id, draft with { MaxRecordsPerAction = 10_000 });

        outcome.Value.AwaitingReview.ShouldBeTrue();
        (await DraftAsync(id)).MaxRecordsPerAction.ShouldBe(10);
    }

    [Fact]
    public async Task EditAsync_OwnerNarrows_AppliesAtOnce()
    {
        var id = await ActiveAgentAsync();
        var draft = await DraftAsync(id);

        var outcome = await SubmitAsync(DemoAccounts.Owner, id, draft with { RateLimitPerMinute = 10, Scopes = ["erp/invoices/42"] });

        outcome.Value.AwaitingReview.ShouldBeFalse();
        var now = await DraftAsync(id);
        now.RateLimitPerMinute.ShouldBe(10);
        now.Scopes.ShouldBe(["erp/invoices/42"]);
    }

    [Fact]
    public async Task EditAsync_OfficerOnAnAgentTheyDoNotOwn_AppliesAtOnce()
    {
        var id = await ActiveAgentAsync();
        var draft = await DraftAsync(id);

        var outcome = await SubmitAsync(DemoAccounts.Officer, id, draft with { Scopes = ["erp/**"] });

        outcome.Value.AwaitingReview.ShouldBeFalse();
        (await DraftAsync(id)).Scopes.ShouldBe(["erp/**"]);
    }

    [Fact]
    public async Task RequestTokenLifetimeAsync_OwnerLengthensIt_WaitsAndTokensKeepTheirLifetime()
    {
        var id = await ActiveAgentAsync();

        var outcome = await app.AsUserAsync<CredentialService, Result<AgentEditOutcome>>(DemoAccounts.Owner, s => s.RequestTokenLifetimeAsync(id, 60));

        outcome.Value.AwaitingReview.ShouldBeTrue();
        outcome.Value.Widenings.ShouldHaveSingleItem().Field.ShouldBe("token lifetime");
        (await LifetimeAsync(id)).ShouldBe(AgentTokenLifetime.DefaultMinutes);
    }

    [Fact]
    public async Task ApproveAsync_TokenLifetimeRequest_MakesTheNextTokensLiveLonger()
    {
        var id = await ActiveAgentAsync();
        var request = (await app.AsUserAsync<CredentialService, Result<AgentEditOutcome>>(DemoAccounts.Owner, s => s.RequestTokenLifetimeAsync(id, 30))).Value;

        var approved = await DecideAsync(DemoAccounts.Officer, s => s.ApproveAsync(request.ChangeRequestId!));

        approved.IsSuccess.ShouldBeTrue(approved.Error.ToString());
        (await LifetimeAsync(id)).ShouldBe(30);
    }

    [Fact]
    public async Task ApproveAsync_ByAnOfficerWhoOwnsTheAgent_IsRefusedAndAnotherOfficerApplies()
    {
        var officerOwner = await OfficerOwnerAsync();
        var id = await RegisterAsync(officerOwner);
        (await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.ActivateAsync(id))).IsSuccess.ShouldBeTrue();
        var draft = await DraftAsync(id, officerOwner);
        var request = (await SubmitAsync(officerOwner, id, draft with { RateLimitPerMinute = 600 })).Value;
        request.AwaitingReview.ShouldBeTrue();

        var own = await DecideAsync(officerOwner, s => s.ApproveAsync(request.ChangeRequestId!));
        var other = await DecideAsync(DemoAccounts.Officer, s => s.ApproveAsync(request.ChangeRequestId!));

        own.Error.ShouldBe(AgentChangeRequestErrors.OwnChange);
        other.IsSuccess.ShouldBeTrue(other.Error.ToString());
        (await DraftAsync(id, officerOwner)).RateLimitPerMinute.ShouldBe(600);
        (await AuditKindsAsync(id)).ShouldContain("agent.change_approved");
    }

    [Fact]
    public async Task ApproveAsync_ByTheOwner_IsRefused()
    {
        var id = await ActiveAgentAsync();
        var request = (await SubmitAsync(DemoAccounts.Owner, id, (await DraftAsync(id)) with { RateLimitPerMinute = 600 })).Value;

        var approved = await DecideAsync(DemoAccounts.Owner, s => s.ApproveAsync(request.ChangeRequestId!));

        approved.Error.Code.ShouldBe("access.forbidden");
        (await DraftAsync(id)).RateLimitPerMinute.ShouldBe(60);
    }

    [Fact]
    public async Task RejectAsync_WithoutAReason_IsRefusedAndWithOneLeavesTheAgentAsItWas()
    {
        var id = await ActiveAgentAsync();
        var request = (await SubmitAsync(DemoAccounts.Owner, id, (await DraftAsync(id)) with { RateLimitPerMinute = 600 })).Value;

        var bare = await DecideAsync(DemoAccounts.Officer, s => s.RejectAsync(request.ChangeRequestId!, " "));
        var reasoned = await DecideAsync(DemoAccounts.Officer, s => s.RejectAsync(request.ChangeRequestId!, "600 a minute is far above what it needs"));

        bare.Error.ShouldBe(AgentChangeRequestErrors.ReasonRequired);
        reasoned.IsSuccess.ShouldBeTrue(reasoned.Error.ToString());
        (await DraftAsync(id)).RateLimitPerMinute.ShouldBe(60);
        var row = (await app.AsUserAsync<AgentChangeReviewService, Result<IReadOnlyList<AgentChangeRequestRow>>>(DemoAccounts.Owner,
            s => s.GetAgentChangesAsync(id))).Value.ShouldHaveSingleItem();
        row.State.ShouldBe(ChangeRequestState.Rejected);
        row.DecisionReason.ShouldBe("600 a minute is far above what it needs");
        (await AuditKindsAsync(id)).ShouldContain("agent.change_rejected");
    }

    [Fact]
    public async Task ApproveAsync_AfterTheAgentChanged_IsRefusedAndTheRequestIsSuperseded()
    {
        var id = await ActiveAgentAsync();
        var draft = await DraftAsync(id);
        var request = (await SubmitAsync(DemoAccounts.Owner, id, draft with { RateLimitPerMinute = 600 })).Value;
        (await SubmitAsync(DemoAccounts.Officer, id, draft with { Scopes = ["erp/invoices/1"] })).Value.AwaitingReview.ShouldBeFalse();

        var approved = await DecideAsync(DemoAccounts.Officer2, s => s.ApproveAsync(request.ChangeRequestId!));

        approved.IsFailure.ShouldBeTrue();
        (await DraftAsync(id)).RateLimitPerMinute.ShouldBe(60);
        (await PendingAsync(DemoAccounts.Officer)).ShouldNotContain(r => r.AgentId == id);
    }

    [Fact]
    public async Task EditAsync_ASecondWideningChange_SupersedesTheFirst()
    {
        var id = await ActiveAgentAsync();
        var draft = await DraftAsync(id);
        var first = (await SubmitAsync(DemoAccounts.Owner, id, draft with { RateLimitPerMinute = 600 })).Value;

        var second = await SubmitAsync(DemoAccounts.Owner, id, draft with { RateLimitPerMinute = 120 });

        second.IsSuccess.ShouldBeTrue(second.Error.ToString());
        (await PendingAsync(DemoAccounts.Officer)).Where(r => r.AgentId == id).ShouldHaveSingleItem().Id.ShouldBe(second.Value.ChangeRequestId);
        (await DecideAsync(DemoAccounts.Officer, s => s.ApproveAsync(first.ChangeRequestId!))).IsFailure.ShouldBeTrue();
        (await AuditKindsAsync(id)).ShouldContain("agent.change_superseded");
    }

    [Fact]
    public async Task OwnersWideningAndRegistration_AlertTheOfficers()
    {
        var id = await RegisterAsync(DemoAccounts.Owner);
        (await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.ActivateAsync(id))).IsSuccess.ShouldBeTrue();

        var request = (await SubmitAsync(DemoAccounts.Owner, id, (await DraftAsync(id)) with { RateLimitPerMinute = 600 })).Value;

        var kinds = await InDbAsync(db => db.Notifications.Where(n => n.Subject == id || n.Subject == request.ChangeRequestId).Select(n => n.Kind).ToListAsync());
        kinds.ShouldBe(["agent.review_requested", "agent.change_requested"], ignoreOrder: true);
    }

    private async Task<string> RegisterAsync(string email, AgentDraft? draft = null)
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(email, s => s.RegisterAsync(draft ?? AgentDraftBuilder.Valid()));
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }

    private async Task<string> ActiveAgentAsync(AgentDraft? draft = null)
    {
        var id = await RegisterAsync(DemoAccounts.Owner, draft);
        (await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.ActivateAsync(id))).IsSuccess.ShouldBeTrue();
        return id;
    }

    private Task<Result<AgentEditOutcome>> SubmitAsync(string email, string id, AgentDraft draft) =>
        app.AsUserAsync<AgentRegistryService, Result<AgentEditOutcome>>(email, s => s.SubmitEditAsync(id, draft));

    private Task<Result> DecideAsync(string email, Func<AgentChangeReviewService, Task<Result>> decide) =>
        app.AsUserAsync(email, decide);

    private async Task<IReadOnlyList<AgentChangeRequestRow>> PendingAsync(string email) =>
        (await app.AsUserAsync<AgentChangeReviewService, Result<IReadOnlyList<AgentChangeRequestRow>>>(email, s => s.GetPendingChangesAsync())).Value;

    private async Task<AgentDraft> DraftAsync(string id, string email = DemoAccounts.Owner)
    {
        var details = await app.AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(email, s => s.GetAgentAsync(id));
        return AgentDrafts.FromDetails(details.Value);
    }

    private Task<AgentStatus> StatusAsync(string id) =>
        InDbAsync(db => db.Agents.Where(a => a.Id == AgentId.Parse(id)).Select(a => a.Status).SingleAsync());

    private Task<int> LifetimeAsync(string id) =>
        InDbAsync(async db => await db.Set<AgentCredential>().Where(c => c.AgentId == id).Select(c => (int?)c.AccessTokenLifetimeMinutes).SingleOrDefaultAsync()
            ?? AgentTokenLifetime.DefaultMinutes);

    private Task<List<string>> AuditKindsAsync(string id) =>
        InDbAsync(db => db.AuditEvents.Where(e => e.Subject == id).Select(e => e.Kind).ToListAsync());

    private Task<string> UserIdAsync(string email) =>
        InDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<T> InDbAsync<T>(Func<WardenDbContext, Task<T>> query) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await query(db);
        });

    /// <summary>A person who is both a security officer and an agent owner.</summary>
    private Task<string> OfficerOwnerAsync() =>
        app.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var email = TestPeople.NewEmail("officer-owner");
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            (await users.CreateAsync(user, TestPeople.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRolesAsync(user, [Roles.SecurityOfficer, Roles.AgentOwner])).Succeeded.ShouldBeTrue();
            return email;
        });
}
