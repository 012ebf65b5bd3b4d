using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Autonomy;
using Warden.Domain.People;
using Warden.Domain.Containment;
using Warden.Features.Autonomy;
using Warden.Features.Containment;
using Warden.Persistence;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

[Collection(AppCollection.Name)]
public sealed class PromotionFlowTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const string Justification = "a supervised pilot; the team reviews every change daily";

    // The red-team drill gate of levels 2 and 3 is tested in RedTeamDrillTests; here the agent has passed its drill.
    private async Task<Result<string>> RequestAsync(string email, string agentId, string? justification = Justification)
    {
        await Warden.Tests.Features.RedTeam.PassedDrills.RecordAsync(app, agentId);
        return await app.AsUserAsync<AutonomyService, Result<string>>(email, s => s.RequestPromotionAsync(agentId, justification));
    }

    private Task<Result> DecideAsync(string email, string requestId, bool approve, string reason = "track record checked") =>
        app.AsUserAsync<AutonomyService, Result>(email, s => s.DecideAsync(requestId, approve, reason));

    private async Task PromoteAsync(string agentId, string owner = DemoAccounts.Owner)
    {
        var requested = await RequestAsync(owner, agentId);
        requested.IsSuccess.ShouldBeTrue(requested.Error.ToString());
        var decided = await DecideAsync(DemoAccounts.Officer, requested.Value, approve: true);
        decided.IsSuccess.ShouldBeTrue(decided.Error.ToString());
    }

    private async Task<string> OutcomeAsync(TestAgent agent, object body)
    {
        using var client = Client(app, agent.Token);
        using var response = await AgentApiClient.DecideAsync(client, body);
        return (await JsonOf(response)).GetProperty("outcome").GetString()!;
    }

    private static object MediumWrite() => Body("crm.update", "write", parameters: new { accountId = "42" });

    private Task<int> LevelAsync(string agentId) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return (await db.Agents.AsNoTracking().ToListAsync()).Single(a => a.Id.Value == agentId).AutonomyLevel;
        });

    [Fact]
    public async Task Promotion_ApprovedToLevelTwo_LetsTheAgentsNextMediumRiskRequestOfARollbackableToolThroughWithoutApproval()
    {
        var agent = await RegisterAsync(app);
        await ActionReviewScenario.DeclareCompensationAsync(app, "crm.update");
        await PromoteAsync(agent.Id);
        (await OutcomeAsync(agent, MediumWrite())).ShouldBe("pending");

        await PromoteAsync(agent.Id);

        (await OutcomeAsync(agent, MediumWrite())).ShouldBe("allow");
        (await LevelAsync(agent.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task RequestPromotion_ForANewAgent_SnapshotsFailingCriteriaAndMarksTheRequest()
    {
        var agent = await RegisterAsync(app);

        var refused = await RequestAsync(DemoAccounts.Owner, agent.Id, justification: null);
        var requested = await RequestAsync(DemoAccounts.Owner, agent.Id);

        refused.Error.ShouldBe(PromotionErrors.JustificationRequired);
        requested.IsSuccess.ShouldBeTrue(requested.Error.ToString());
        var rows = await app.AsUserAsync<AutonomyService, Result<IReadOnlyList<PromotionRow>>>(DemoAccounts.Officer, s => s.GetRequestsAsync(openOnly: true));
        var row = rows.Value.Single(r => r.Id == requested.Value);
        row.CriteriaMet.ShouldBeFalse();
        row.Justification.ShouldBe(Justification);
        row.Criteria.Single(c => c.Code == CriterionCodes.Decisions).Measured.ShouldBe("0");
        row.Criteria.Single(c => c.Code == CriterionCodes.DaysAtLevel).Missing.ShouldBe("14 more days at this level");
        row.CanDecide.ShouldBeTrue();
        (await ApprovalScenario.EventsAsync(app, "autonomy.promotion_requested", requested.Value)).ShouldBe(1);
    }

    [Fact]
    public async Task RequestPromotion_WhileOneIsOpen_IsRefused()
    {
        var agent = await RegisterAsync(app);
        (await RequestAsync(DemoAccounts.Owner, agent.Id)).IsSuccess.ShouldBeTrue();

        var second = await RequestAsync(DemoAccounts.Owner, agent.Id);

        second.Error.ShouldBe(PromotionErrors.AlreadyOpen);
    }

    [Fact]
    public async Task Decide_ByAnOfficerWhoOwnsTheAgent_IsRefusedAndTheLevelStays()
    {
        var both = await ApprovalScenario.NewPersonAsync(app, "owner-officer", Roles.AgentOwner, Roles.SecurityOfficer);
        var agent = await ApprovalScenario.RegisterAsAsync(app, both, Draft());
        var requested = await RequestAsync(both, agent.Id);

        var decided = await DecideAsync(both, requested.Value, approve: true);

        decided.Error.ShouldBe(PromotionErrors.OwnerCannotDecide);
        (await LevelAsync(agent.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Decide_ByAnAuditor_IsForbidden()
    {
        var agent = await RegisterAsync(app);
        var requested = await RequestAsync(DemoAccounts.Owner, agent.Id);

        var decided = await DecideAsync(DemoAccounts.Auditor, requested.Value, approve: true);

        decided.Error.Code.ShouldBe("access.forbidden");
        (await LevelAsync(agent.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Decide_ASecondTimeByAnotherOfficer_IsRefusedAsAlreadyDecided()
    {
        var agent = await RegisterAsync(app);
        var requested = await RequestAsync(DemoAccounts.Owner, agent.Id);
        (await DecideAsync(DemoAccounts.Officer, requested.Value, approve: false, "not enough history")).IsSuccess.ShouldBeTrue();

        var again = await DecideAsync(DemoAccounts.Officer2, requested.Value, approve: true);

        again.Error.Code.ShouldBe("promotion.already_decided");
        (await LevelAsync(agent.Id)).ShouldBe(0);
        (await ApprovalScenario.EventsAsync(app, "autonomy.promotion_rejected", requested.Value)).ShouldBe(1);
    }

    [Fact]
    public async Task CriticalViolation_DemotesTheAgentToZeroForItsVeryNextRequest()
    {
        var agent = await RegisterAsync(app);
        await ActionReviewScenario.DeclareCompensationAsync(app, "crm.update");
        await PromoteAsync(agent.Id);
        await PromoteAsync(agent.Id);
        (await OutcomeAsync(agent, MediumWrite())).ShouldBe("allow");

        (await OutcomeAsync(agent, Body("crm.update", "write", parameters: new { accountId = "42", note = "key AKIAIOSFODNN7EXAMPLE" }))).ShouldBe("deny");

        (await OutcomeAsync(agent, MediumWrite())).ShouldBe("pending");
        (await LevelAsync(agent.Id)).ShouldBe(0);
        var autonomy = await app.AsUserAsync<AutonomyService, Result<AgentAutonomy>>(DemoAccounts.Owner, s => s.GetAgentAutonomyAsync(agent.Id));
        var demotion = autonomy.Value.History[0];
        demotion.Promoted.ShouldBeFalse();
        (demotion.FromLevel, demotion.ToLevel).ShouldBe((2, 0));
        demotion.Reason.ShouldNotBeNull().ShouldContain("critical violation");
        autonomy.Value.Readiness.Criteria.Single(c => c.Code == CriterionCodes.CriticalFree).Passed.ShouldBeFalse();
    }

    [Fact]
    public async Task CriticalViolation_WithdrawsTheOpenPromotionRequest()
    {
        var agent = await RegisterAsync(app);
        await PromoteAsync(agent.Id);
        var requested = await RequestAsync(DemoAccounts.Owner, agent.Id);

        await OutcomeAsync(agent, Body(parameters: new { note = "key AKIAIOSFODNN7EXAMPLE" }));

        var decided = await DecideAsync(DemoAccounts.Officer, requested.Value, approve: true);
        decided.Error.Code.ShouldBe("promotion.already_decided");
        (await LevelAsync(agent.Id)).ShouldBe(0);
        (await ApprovalScenario.EventsAsync(app, "autonomy.promotion_withdrawn", requested.Value)).ShouldBe(1);
    }

    [Fact]
    public async Task BreakerTrip_DemotesTheAgentOneLevelBeforeTheTripIsReported()
    {
        var agent = await RegisterAsync(app);
        await PromoteAsync(agent.Id);
        await PromoteAsync(agent.Id);

        var trip = await app.InScopeAsync(sp => sp.GetRequiredService<ContainmentEngine>().TripAsync(ContainmentScope.Agent, agent.Id, "breaker:violation-burst (20 violations in 60 s)",
            new ContainmentActor(TripSource.Breaker, null, null, "breaker:violation-burst"), CancellationToken.None));

        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        (await LevelAsync(agent.Id)).ShouldBe(1);
        var autonomy = await app.AsUserAsync<AutonomyService, Result<AgentAutonomy>>(DemoAccounts.Officer, s => s.GetAgentAutonomyAsync(agent.Id));
        autonomy.Value.History[0].Reason.ShouldNotBeNull().ShouldContain("breaker:violation-burst");
    }

    [Fact]
    public async Task ManualTrip_LeavesTheLevelAlone()
    {
        var agent = await RegisterAsync(app);
        await PromoteAsync(agent.Id);

        var trip = await app.InScopeAsync(sp => sp.GetRequiredService<ContainmentEngine>().TripAsync(ContainmentScope.Agent, agent.Id, "investigating",
            new ContainmentActor(TripSource.Person, null, DemoAccounts.Officer, DemoAccounts.Officer), CancellationToken.None));

        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        (await LevelAsync(agent.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task GetReadiness_ForAnOwner_ListsOnlyTheirAgentsWithWhatIsMissing()
    {
        var agent = await RegisterAsync(app);

        var mine = await app.AsUserAsync<AutonomyService, Result<IReadOnlyList<AgentReadiness>>>(DemoAccounts.Owner, s => s.GetReadinessAsync());
        var theirs = await app.AsUserAsync<AutonomyService, Result<IReadOnlyList<AgentReadiness>>>(DemoAccounts.Owner2, s => s.GetReadinessAsync());

        var row = mine.Value.Single(r => r.AgentId == agent.Id);
        (row.Level, row.NextLevel, row.Ready, row.CanRequest).ShouldBe((0, (int?)1, false, true));
        row.Missing.ShouldContain("14 more days without a critical violation");
        row.Missing.ShouldContain("100 more decisions");
        theirs.Value.ShouldNotContain(r => r.AgentId == agent.Id);
    }
}
