using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Domain.Containment;
using Warden.Domain.People;
using Warden.Features.Administration;
using Warden.Features.Approvals;
using Warden.Features.Containment;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Authorization;

/// <summary>
/// The attacks step-up and the second factor stop: a session left open (or stolen) long after its
/// sign-in, and a password used without the second factor. Each is refused and changes nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StepUpAttackTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static DateTimeOffset Stale => DateTimeOffset.UtcNow.AddMinutes(-25);

    private static DateTimeOffset Fresh => DateTimeOffset.UtcNow;

    [Fact]
    public async Task ReleaseAsync_FromASessionSignedInLongAgo_IsRefusedAndTheAgentStaysContained()
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(
            DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "suspicious traffic"));

        var stale = await app.AsSessionAsync<ContainmentService, Result<bool>>(
            DemoAccounts.Officer2, secondFactor: true, Stale, s => s.ReleaseAsync(trip.Value.ContainmentId, "looks clean"));

        stale.Error.ShouldBe(PersonErrors.StepUpRequired);
        (await ActiveContainmentIdsAsync()).ShouldContain(trip.Value.ContainmentId);
        var fresh = await app.AsSessionAsync<ContainmentService, Result<bool>>(
            DemoAccounts.Officer2, secondFactor: true, Fresh, s => s.ReleaseAsync(trip.Value.ContainmentId, "looks clean"));
        fresh.IsSuccess.ShouldBeTrue(fresh.Error.ToString());
        (await ActiveContainmentIdsAsync()).ShouldNotContain(trip.Value.ContainmentId);
    }

    [Fact]
    public async Task TripAsync_ByAnOfficerWithAStolenPasswordButNoSecondFactor_IsRefusedAndContainsNothing()
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        var before = await ActiveContainmentIdsAsync();

        var trip = await app.AsSessionAsync<ContainmentService, Result<TripResult>>(
            DemoAccounts.Officer, secondFactor: false, Fresh, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "denial of service"));

        trip.Error.ShouldBe(PersonErrors.SecondFactorRequired);
        (await ActiveContainmentIdsAsync()).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task VoteAsync_ApprovingACriticalActionFromAStaleSession_IsRefusedAndRecordsNoVote()
    {
        var held = await ApprovalScenario.HoldAsync(app, critical: true);

        var stale = await app.AsSessionAsync<ApprovalService, Result<VoteResult>>(
            DemoAccounts.Officer, secondFactor: true, Stale, s => s.VoteAsync(held.RequestId, Verdict.Approve, "fine"));

        stale.Error.ShouldBe(PersonErrors.StepUpRequired);
        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Auditor, s => s.GetAsync(held.RequestId));
        card.Value.State.ShouldBe(ApprovalState.Pending);
        card.Value.Approvals.ShouldBe(0);
        var fresh = await app.AsSessionAsync<ApprovalService, Result<VoteResult>>(
            DemoAccounts.Officer, secondFactor: true, Fresh, s => s.VoteAsync(held.RequestId, Verdict.Approve, "fine"));
        fresh.IsSuccess.ShouldBeTrue(fresh.Error.ToString());
        fresh.Value.Approvals.ShouldBe(1);
    }

    [Fact]
    public async Task VoteAsync_ApprovingAnActionBelowCriticalFromAStaleSession_IsRecorded()
    {
        var held = await ApprovalScenario.HoldAsync(app);

        var vote = await app.AsSessionAsync<ApprovalService, Result<VoteResult>>(
            DemoAccounts.Officer, secondFactor: true, Stale, s => s.VoteAsync(held.RequestId, Verdict.Approve, "fine"));

        vote.IsSuccess.ShouldBeTrue(vote.Error.ToString());
        vote.Value.State.ShouldBe(ApprovalState.Approved);
    }

    [Fact]
    public async Task AddRoleAsync_FromAStaleAdministratorSession_IsRefusedAndGrantsNothing()
    {
        var email = await ApprovalScenario.NewPersonAsync(app, "would-be-officer", Roles.Auditor);
        var id = await ApprovalScenario.UserIdAsync(app, email);

        var added = await app.AsSessionAsync<UserAdministrationService, Result>(
            DemoAccounts.Admin, secondFactor: true, Stale, s => s.AddRoleAsync(id, Roles.SecurityOfficer));

        added.Error.ShouldBe(PersonErrors.StepUpRequired);
        (await RolesOfAsync(email)).ShouldBe([Roles.Auditor]);
    }

    [Fact]
    public async Task CreateUserAsync_GivingRolesFromAStaleAdministratorSession_IsRefusedAndCreatesNobody()
    {
        var email = TestPeople.NewEmail("backdoor");

        var created = await app.AsSessionAsync<UserAdministrationService, Result<string>>(
            DemoAccounts.Admin, secondFactor: true, Stale, s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, [Roles.Administrator])));

        created.Error.ShouldBe(PersonErrors.StepUpRequired);
        (await ExistsAsync(email)).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateUserAsync_WithoutRolesFromAStaleAdministratorSession_CreatesThePerson()
    {
        var email = TestPeople.NewEmail("no-roles");

        var created = await app.AsSessionAsync<UserAdministrationService, Result<string>>(
            DemoAccounts.Admin, secondFactor: true, Stale, s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, [])));

        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
    }

    [Fact]
    public async Task CreateAsync_AnAutomationClientFromAStaleSession_IsRefusedAndIssuesNoClient()
    {
        var before = await ClientCountAsync();

        var created = await app.AsSessionAsync<AutomationClientService, Result<NewAutomationClient>>(
            DemoAccounts.Officer, secondFactor: true, Stale, s => s.CreateAsync("siem-responder", [AutomationClient.ContainmentScope]));

        created.Error.ShouldBe(PersonErrors.StepUpRequired);
        (await ClientCountAsync()).ShouldBe(before);
    }

    private Task<List<string>> ActiveContainmentIdsAsync() =>
        app.AsUserAsync<ContainmentService, List<string>>(DemoAccounts.Auditor, async s =>
            (await s.GetOverviewAsync()).Value.Active.Select(r => r.Id).ToList());

    private Task<int> ClientCountAsync() =>
        app.AsUserAsync<AutomationClientService, int>(DemoAccounts.Auditor, async s => (await s.GetClientsAsync()).Value.Count);

    private Task<IList<string>> RolesOfAsync(string email) =>
        app.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            return await users.GetRolesAsync((await users.FindByEmailAsync(email))!);
        });

    private Task<bool> ExistsAsync(string email) =>
        app.InScopeAsync(async sp => await sp.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email) is not null);
}
