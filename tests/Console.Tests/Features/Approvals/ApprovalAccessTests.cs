using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Domain.People;
using Warden.Features.Administration;
using Warden.Features.Approvals;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Approvals;

/// <summary>Who may decide: checked in the service for every call, and against the person, not only the role.</summary>
[Collection(AppCollection.Name)]
public sealed class ApprovalAccessTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private Task<Result<VoteResult>> VoteAsAsync(string email, string requestId, Verdict verdict = Verdict.Approve) =>
        app.AsUserAsync<ApprovalService, Result<VoteResult>>(email, s => s.VoteAsync(requestId, verdict, "looks right"));

    [Theory]
    [InlineData(DemoAccounts.Owner)]
    [InlineData(DemoAccounts.Auditor)]
    [InlineData(DemoAccounts.Admin)]
    public async Task PeopleWhoAreNotOfficers_CannotVote(string email)
    {
        var held = await ApprovalScenario.HoldAsync(app);

        var approve = await VoteAsAsync(email, held.RequestId);
        var deny = await VoteAsAsync(email, held.RequestId, Verdict.Deny);

        approve.Error.Code.ShouldBe(PersonErrors.Forbidden([]).Code);
        deny.Error.Code.ShouldBe(PersonErrors.Forbidden([]).Code);
        (await ApprovalScenario.EventsAsync(app, "approval.voted", held.RequestId)).ShouldBe(0);
    }

    [Fact]
    public async Task AnOfficerWhoOwnsTheAgent_CannotDecideItsRequests()
    {
        var ownerOfficer = await ApprovalScenario.NewPersonAsync(app, "owner-officer", Roles.SecurityOfficer, Roles.AgentOwner);
        var agent = await ApprovalScenario.RegisterAsAsync(app, ownerOfficer, Draft());
        var held = await ApprovalScenario.HoldAsync(app, agent: agent);

        var result = await VoteAsAsync(ownerOfficer, held.RequestId);
        var queue = await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(ownerOfficer, s => s.GetQueueAsync());

        result.Error.ShouldBe(ApprovalErrors.OwnerCannotVote);
        var card = queue.Value.Single(c => c.Id == held.RequestId);
        card.CanVote.ShouldBeFalse();
        card.CannotVoteBecause.ShouldBe(ApprovalErrors.OwnerCannotVote.Message);
    }

    [Fact]
    public async Task AnOfficerWhoIsTheBackupOwner_CannotDecideItsRequests()
    {
        var backupOfficer = await ApprovalScenario.NewPersonAsync(app, "backup-officer", Roles.SecurityOfficer, Roles.AgentOwner);
        var draft = Draft() with { BackupOwnerId = await ApprovalScenario.UserIdAsync(app, backupOfficer) };
        var agent = await ApprovalScenario.RegisterAsAsync(app, DemoAccounts.Owner, draft);
        var held = await ApprovalScenario.HoldAsync(app, agent: agent);

        (await VoteAsAsync(backupOfficer, held.RequestId)).Error.ShouldBe(ApprovalErrors.BackupOwnerCannotVote);
    }

    [Fact]
    public async Task TheOwnersSecondAccount_AnOfficerWithTheSameMailbox_CannotVote()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        var alias = $"owner+sec-{Guid.NewGuid().ToString("N")[..8]}@warden.example";
        var created = await app.AsUserAsync<UserAdministrationService, Result<string>>(DemoAccounts.Admin,
            s => s.CreateUserAsync(new NewUser(alias, "Owen (security account)", TestPeople.Password, [Roles.SecurityOfficer])));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());

        (await VoteAsAsync(alias, held.RequestId)).Error.ShouldBe(ApprovalErrors.OwnerCannotVote);
    }

    [Fact]
    public async Task ASuspendedAgentsHeldAction_CannotBeApproved_ButCanBeDenied()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        (await app.AsUserAsync<Warden.Features.Agents.AgentRegistryService, Result>(DemoAccounts.Owner,
            s => s.SuspendAsync(held.Agent.Id, "looping"))).IsSuccess.ShouldBeTrue();

        var approve = await VoteAsAsync(DemoAccounts.Officer, held.RequestId);
        var deny = await VoteAsAsync(DemoAccounts.Officer2, held.RequestId, Verdict.Deny);

        approve.Error.ShouldBe(ApprovalErrors.AgentNotActive);
        deny.Value.State.ShouldBe(ApprovalState.Denied);
    }

    [Fact]
    public async Task ADisabledOfficer_IsRefusedEvenWithAnOpenSession()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        var officer = await ApprovalScenario.NewOfficerAsync(app, "leaver");
        var session = await app.PrincipalForAsync(officer);
        var id = await ApprovalScenario.UserIdAsync(app, officer);
        (await app.AsUserAsync<UserAdministrationService, Result>(DemoAccounts.Admin, s => s.DisableAsync(id))).IsSuccess.ShouldBeTrue();

        var result = await app.AsPrincipalAsync<ApprovalService, Result<VoteResult>>(session, s => s.VoteAsync(held.RequestId, Verdict.Approve, "ok"));

        result.Error.ShouldBe(PersonErrors.Disabled);
        (await ApprovalScenario.EventsAsync(app, "approval.voted", held.RequestId)).ShouldBe(0);
    }

    [Fact]
    public async Task Anonymous_CannotVoteOrRead()
    {
        var held = await ApprovalScenario.HoldAsync(app);

        (await app.AsAnonymousAsync<ApprovalService, Result<VoteResult>>(s => s.VoteAsync(held.RequestId, Verdict.Approve, "ok"))).Error.ShouldBe(PersonErrors.NotSignedIn);
        (await app.AsAnonymousAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(s => s.GetQueueAsync())).Error.ShouldBe(PersonErrors.NotSignedIn);
    }

    [Fact]
    public async Task OwnersReadTheirOwnAgentsRequests_AndNobodyElses()
    {
        var held = await ApprovalScenario.HoldAsync(app);

        var own = await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Owner, s => s.GetForAgentAsync(held.Agent.Id));
        var other = await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Owner2, s => s.GetForAgentAsync(held.Agent.Id));
        var queue = await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Owner, s => s.GetQueueAsync());

        var card = own.Value.ShouldHaveSingleItem();
        card.Id.ShouldBe(held.RequestId);
        card.CanVote.ShouldBeFalse();
        other.IsFailure.ShouldBeTrue();
        other.Error.Code.ShouldBe("agent.not_found");
        queue.IsFailure.ShouldBeTrue();
    }

    [Fact]
    public async Task TheAuditorReadsTheQueueButHasNoVote()
    {
        var held = await ApprovalScenario.HoldAsync(app);

        var queue = await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Auditor, s => s.GetQueueAsync());

        var card = queue.Value.Single(c => c.Id == held.RequestId);
        card.CanVote.ShouldBeFalse();
    }
}
