using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Features.Agents;
using Warden.Features.Autonomy;
using Warden.Features.Guardrails;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

/// <summary>Level 1 end to end on real SQLite: a low-risk write runs at once, waits for its review, and a rejection is a violation.</summary>
[Collection(AppCollection.Name)]
public sealed class ActionReviewFlowTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private Task<TestAgent> AgentAtLevelAsync(int level) => ActionReviewScenario.AgentAtLevelAsync(app, level);

    private Task<System.Text.Json.JsonElement> WriteAsync(TestAgent agent, string tool = "tickets.update") => ActionReviewScenario.WriteAsync(app, agent, tool);

    private Task<Result<IReadOnlyList<ActionReviewRow>>> AwaitingAsync(string email) =>
        app.AsUserAsync<ActionReviewService, Result<IReadOnlyList<ActionReviewRow>>>(email, s => s.GetReviewsAsync(awaiting: true));

    [Fact]
    public async Task LowRiskWrite_AtLevelOne_IsAllowedWithAGrantAndQueuedForItsOwner()
    {
        var agent = await AgentAtLevelAsync(1);

        var answer = await WriteAsync(agent);

        answer.GetProperty("outcome").GetString().ShouldBe("allow", answer.ToString());
        answer.GetProperty("grant").GetProperty("token").GetString().ShouldNotBeNullOrEmpty();
        answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ShouldContain("review_after");
        var id = answer.GetProperty("id").GetString();
        (await AwaitingAsync(DemoAccounts.Owner)).Value.ShouldContain(r => r.DecisionId == id && r.State == ActionReviewState.Pending && r.CanReview);
        (await AwaitingAsync(DemoAccounts.Owner2)).Value.ShouldNotContain(r => r.DecisionId == id);
    }

    [Fact]
    public async Task MediumRiskWrite_AtLevelOne_IsHeldAndNotQueued()
    {
        var agent = await AgentAtLevelAsync(1);

        var answer = await WriteAsync(agent, "crm.update");

        answer.GetProperty("outcome").GetString().ShouldBe("pending", answer.ToString());
        var id = answer.GetProperty("id").GetString();
        (await AwaitingAsync(DemoAccounts.Officer)).Value.ShouldNotContain(r => r.DecisionId == id);
    }

    [Fact]
    public async Task Reject_ByTheOwner_RecordsAHighViolationAuditsItAndLeavesTheQueue()
    {
        var agent = await AgentAtLevelAsync(1);
        var answer = await WriteAsync(agent);
        var id = answer.GetProperty("id").GetString()!;
        using (var client = Client(app, agent.Token))
        using (var reported = await ReportAsync(client, id, answer.GetProperty("grant").GetProperty("token").GetString()))
            reported.IsSuccessStatusCode.ShouldBeTrue();

        var rejected = await app.AsUserAsync<ActionReviewService, Result<ActionReviewRow>>(DemoAccounts.Owner, s => s.RejectAsync(id, "Closed the wrong ticket."));

        rejected.IsSuccess.ShouldBeTrue(rejected.Error.ToString());
        rejected.Value.State.ShouldBe(ActionReviewState.Rejected);
        rejected.Value.OutcomeStatus.ShouldBe("succeeded");
        var violations = await app.AsUserAsync<ViolationService, Result<ViolationList>>(DemoAccounts.Auditor,
            s => s.GetViolationsAsync(new ViolationFilter(Review: null, AgentId: agent.Id)));
        var violation = violations.Value.Rows.ShouldHaveSingleItem();
        (violation.DecisionId, violation.Code, violation.Severity).ShouldBe((id, "review_rejected", ViolationSeverity.High));
        (await ApprovalScenario.EventsAsync(app, "action.review_rejected", id)).ShouldBe(1);
        (await AwaitingAsync(DemoAccounts.Owner)).Value.ShouldNotContain(r => r.DecisionId == id);
    }

    [Fact]
    public async Task Reject_AfterAnOfficerAccepted_IsRefusedNamingTheFirstReviewer()
    {
        var agent = await AgentAtLevelAsync(1);
        var id = (await WriteAsync(agent)).GetProperty("id").GetString()!;
        var accepted = await app.AsUserAsync<ActionReviewService, Result<ActionReviewRow>>(DemoAccounts.Officer, s => s.AcceptAsync(id, null));
        accepted.IsSuccess.ShouldBeTrue(accepted.Error.ToString());

        var rejected = await app.AsUserAsync<ActionReviewService, Result<ActionReviewRow>>(DemoAccounts.Owner, s => s.RejectAsync(id, "no"));

        rejected.Error.Code.ShouldBe("action_review.already_reviewed");
        (await ApprovalScenario.EventsAsync(app, "action.review_accepted", id)).ShouldBe(1);
        (await ApprovalScenario.EventsAsync(app, "action.review_rejected", id)).ShouldBe(0);
    }

    [Fact]
    public async Task Reject_ByAnotherAgentsOwner_IsRefusedAsNotFound()
    {
        var agent = await AgentAtLevelAsync(1);
        var id = (await WriteAsync(agent)).GetProperty("id").GetString()!;

        var rejected = await app.AsUserAsync<ActionReviewService, Result<ActionReviewRow>>(DemoAccounts.Owner2, s => s.RejectAsync(id, "not mine"));

        rejected.Error.ShouldBe(ActionReviewErrors.NotFound);
    }

    [Fact]
    public async Task Write_AtLevelTwo_GoesAloneOnlyForAToolThatDeclaresACompensatingAction()
    {
        var agent = await AgentAtLevelAsync(2);
        await ActionReviewScenario.DeclareCompensationAsync(app, "orders.refund");

        var withRollback = await WriteAsync(agent, "orders.refund");
        var without = await WriteAsync(agent, "crm.update");

        withRollback.GetProperty("outcome").GetString().ShouldBe("allow", withRollback.ToString());
        withRollback.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ShouldBe(["allowed_by_autonomy"]);
        without.GetProperty("outcome").GetString().ShouldBe("pending", without.ToString());
        without.GetProperty("reasons")[0].GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("declares no compensating action");
        var queued = (await AwaitingAsync(DemoAccounts.Officer)).Value;
        queued.ShouldNotContain(r => r.AgentId == agent.Id);
    }

    [Fact]
    public async Task Readiness_ForLevelTwo_ShowsTheActionsAwaitingReview()
    {
        var agent = await AgentAtLevelAsync(1);
        await WriteAsync(agent);

        var autonomy = await app.AsUserAsync<AutonomyService, Result<AgentAutonomy>>(DemoAccounts.Owner, s => s.GetAgentAutonomyAsync(agent.Id));

        var backlog = autonomy.Value.Readiness.Criteria.Single(c => c.Code == CriterionCodes.AwaitingReview);
        (backlog.Measured, backlog.Passed).ShouldBe(("1", false));
        var compensable = autonomy.Value.Readiness.Criteria.Single(c => c.Code == CriterionCodes.CompensableTools);
        compensable.Measured.ShouldEndWith(" of 3");
    }
}
