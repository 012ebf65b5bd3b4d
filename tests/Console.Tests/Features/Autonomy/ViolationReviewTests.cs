using Warden.Domain;
using Warden.Domain.Autonomy;
using Warden.Domain.People;
using Warden.Features.Autonomy;
using Warden.Features.Guardrails;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

[Collection(AppCollection.Name)]
public sealed class ViolationReviewTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private async Task<string> ViolationAsync(TestAgent? agent = null, object? body = null)
    {
        agent ??= await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var response = await AgentApiClient.DecideAsync(client, body ?? Body("mail.send", "write"));
        return (await JsonOf(response)).GetProperty("id").GetString()!;
    }

    private Task<Result<ViolationRow>> ReviewAsync(string email, string decisionId, FindingReview verdict, string? note) =>
        app.AsUserAsync<ViolationService, Result<ViolationRow>>(email, s => s.ReviewAsync(decisionId, verdict, note));

    private Task<Result<ViolationList>> ListAsync(FindingReview? review) =>
        app.AsUserAsync<ViolationService, Result<ViolationList>>(DemoAccounts.Auditor, s => s.GetViolationsAsync(new ViolationFilter(review)));

    [Fact]
    public async Task Refusal_ForAnUndeclaredTool_IsListedAsAMediumViolationUntilReviewed()
    {
        var id = await ViolationAsync();

        var list = await ListAsync(FindingReview.Unreviewed);

        var row = list.Value.Rows.Single(r => r.DecisionId == id);
        row.Code.ShouldBe("tool_not_allowed");
        row.Severity.ShouldBe(ViolationSeverity.Medium);
    }

    [Fact]
    public async Task Review_AsFalsePositiveWithANote_IsRecordedAuditedAndCountsInTheRate()
    {
        var id = await ViolationAsync();
        var before = (await ListAsync(null)).Value;

        var reviewed = await ReviewAsync(DemoAccounts.Officer, id, FindingReview.FalsePositive, "the tool was declared a minute later");

        reviewed.IsSuccess.ShouldBeTrue(reviewed.Error.ToString());
        reviewed.Value.Review.ShouldBe(FindingReview.FalsePositive);
        var after = (await ListAsync(FindingReview.FalsePositive)).Value;
        after.Rows.ShouldContain(r => r.DecisionId == id && r.ReviewNote == "the tool was declared a minute later");
        (after.Reviewed, after.FalsePositives).ShouldBe((before.Reviewed + 1, before.FalsePositives + 1));
        (await ApprovalScenario.EventsAsync(app, "violation.reviewed", id)).ShouldBe(1);
    }

    [Fact]
    public async Task Review_AsFalsePositiveWithoutANote_IsRefused()
    {
        var id = await ViolationAsync();

        var reviewed = await ReviewAsync(DemoAccounts.Officer, id, FindingReview.FalsePositive, " ");

        reviewed.Error.ShouldBe(ViolationErrors.NoteRequired);
    }

    [Fact]
    public async Task Review_ASecondTime_IsRefusedNamingTheFirstReviewer()
    {
        var id = await ViolationAsync();
        (await ReviewAsync(DemoAccounts.Officer, id, FindingReview.TruePositive, null)).IsSuccess.ShouldBeTrue();

        var again = await ReviewAsync(DemoAccounts.Officer2, id, FindingReview.FalsePositive, "disagree");

        again.Error.Code.ShouldBe("violation.already_reviewed");
    }

    [Fact]
    public async Task Review_ByAnOfficerWhoOwnsTheAgent_IsRefused()
    {
        var both = await ApprovalScenario.NewPersonAsync(app, "owner-officer", Roles.AgentOwner, Roles.SecurityOfficer);
        var agent = await ApprovalScenario.RegisterAsAsync(app, both, Draft());
        var id = await ViolationAsync(agent);

        var reviewed = await ReviewAsync(both, id, FindingReview.FalsePositive, "looks fine to me");

        reviewed.Error.ShouldBe(ViolationErrors.OwnAgent);
    }

    [Fact]
    public async Task FalsePositiveViolations_CountInTheAgentsPromotionCriteria()
    {
        var agent = await RegisterAsync(app);
        var id = await ViolationAsync(agent);
        (await ReviewAsync(DemoAccounts.Officer, id, FindingReview.FalsePositive, "declared later")).IsSuccess.ShouldBeTrue();
        var requested = await app.AsUserAsync<AutonomyService, Result<string>>(DemoAccounts.Owner, s => s.RequestPromotionAsync(agent.Id, "pilot"));
        (await app.AsUserAsync<AutonomyService, Result>(DemoAccounts.Officer, s => s.DecideAsync(requested.Value, true, "ok"))).IsSuccess.ShouldBeTrue();

        var autonomy = await app.AsUserAsync<AutonomyService, Result<AgentAutonomy>>(DemoAccounts.Owner, s => s.GetAgentAutonomyAsync(agent.Id));

        var rate = autonomy.Value.Readiness.Criteria.Single(c => c.Code == CriterionCodes.FalsePositiveRate);
        rate.Passed.ShouldBeFalse();
        rate.Measured.ShouldBe("100 % (1 of 1)");
    }
}
