using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using static Warden.Tests.Domain.Decisions.ContextBuilder;

namespace Warden.Tests.Domain.Decisions;

/// <summary>
/// Levels 1 and 2 as the maturity model states them: level 1 acts and a person reviews afterwards;
/// level 2 lets writes go alone only where the tool declares a compensating action.
/// </summary>
public sealed class AutonomyLevelTests
{
    private const ToolCompensation Unknown = ToolCompensation.Unknown;
    private const ToolCompensation None = ToolCompensation.None;
    private const ToolCompensation Declared = ToolCompensation.Declared;

    // crm.read and crm.notes are low risk, erp.invoices medium, payments.send high, db.admin critical.
    [Theory]
    [InlineData(0, "crm.read", OperationKind.Read, Declared, DecisionOutcome.Allow, false)]
    [InlineData(0, "crm.notes", OperationKind.Write, Declared, DecisionOutcome.Pending, false)]
    [InlineData(1, "crm.read", OperationKind.Read, None, DecisionOutcome.Allow, false)]
    [InlineData(1, "crm.notes", OperationKind.Write, None, DecisionOutcome.Allow, true)]
    [InlineData(1, "crm.notes", OperationKind.Write, Unknown, DecisionOutcome.Allow, true)]
    [InlineData(1, "erp.invoices", OperationKind.Write, Declared, DecisionOutcome.Pending, false)]
    [InlineData(2, "crm.read", OperationKind.Read, None, DecisionOutcome.Allow, false)]
    [InlineData(2, "crm.notes", OperationKind.Write, Declared, DecisionOutcome.Allow, false)]
    [InlineData(2, "crm.notes", OperationKind.Write, None, DecisionOutcome.Pending, false)]
    [InlineData(2, "crm.notes", OperationKind.Write, Unknown, DecisionOutcome.Pending, false)]
    [InlineData(2, "erp.invoices", OperationKind.Delete, Declared, DecisionOutcome.Allow, false)]
    [InlineData(2, "erp.invoices", OperationKind.Delete, None, DecisionOutcome.Pending, false)]
    [InlineData(2, "payments.send", OperationKind.Execute, Declared, DecisionOutcome.Pending, false)]
    [InlineData(3, "payments.send", OperationKind.Execute, None, DecisionOutcome.Allow, false)]
    [InlineData(3, "crm.notes", OperationKind.Write, Unknown, DecisionOutcome.Allow, false)]
    [InlineData(3, "db.admin", OperationKind.Execute, Declared, DecisionOutcome.Pending, false)]
    public void Decide_ByLevelOperationRiskAndCompensation_FollowsTheModel(
        int level, string tool, OperationKind operation, ToolCompensation compensation, DecisionOutcome expected, bool reviewedAfter)
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = level }).WithRequest(tool, operation, Resource(tool))
            .WithCompensation(compensation).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(expected);
        decision.ReviewAfter.ShouldBe(reviewedAfter);
        decision.Reasons.Any(r => r.Code == DecisionCodes.ReviewAfter).ShouldBe(reviewedAfter);
    }

    [Fact]
    public void Decide_LowRiskWriteAtLevelOne_AllowsByAutonomyAndSaysItWillBeReviewed()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 1 }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Reasons.Select(r => r.Code).ShouldBe([DecisionCodes.AllowedByAutonomy, DecisionCodes.ReviewAfter]);
        decision.MatchedRuleId.ShouldBeNull();
        decision.IsViolation.ShouldBeFalse();
    }

    [Theory]
    [InlineData(None, "declares no compensating action")]
    [InlineData(Unknown, "could not be read")]
    public void Decide_WriteAtLevelTwoWithoutADeclaredCompensation_WaitsForOneApproverAndSaysWhy(ToolCompensation compensation, string why)
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 2 }).WithCompensation(compensation).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.RequiredApprovals.ShouldBe(1);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AutonomyRequiresApproval);
        decision.PrimaryReason.Message.ShouldContain(why);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Decide_WhenARuleAllowsWithReviewAfter_AllowsAndQueuesAReviewAtAnyLevel(int level)
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = level }).WithRules(Rules.AllowReviewedAfter("reviewed")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.ReviewAfter.ShouldBeTrue();
        decision.MatchedRuleId.ShouldBe("reviewed");
        decision.Reasons.Select(r => r.Code).ShouldBe([DecisionCodes.AllowedByPolicy, DecisionCodes.ReviewAfter]);
    }

    [Fact]
    public void Decide_WhenAPlainAllowRuleDecidesALevelOneWrite_QueuesNoReview()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 1 }).WithRules(Rules.Allow("trusted")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.ReviewAfter.ShouldBeFalse();
    }

    [Fact]
    public void Decide_WhenTwoAllowRulesMatch_TheOneAskingForAReviewWinsWhateverItsOrder()
    {
        var context = Default.WithRules(Rules.Allow("first-plain"), Rules.AllowReviewedAfter("second-reviewed")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.MatchedRuleId.ShouldBe("second-reviewed");
        decision.ReviewAfter.ShouldBeTrue();
    }

    [Fact]
    public void Decide_WhenAnApprovalRuleAlsoMatches_HoldsTheActionAndQueuesNoReview()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 1 })
            .WithRules(Rules.AllowReviewedAfter("reviewed"), Rules.Approve("held")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.ReviewAfter.ShouldBeFalse();
    }

    [Fact]
    public void Decide_WhenAReviewedAllowMeetsACriticalTool_NeedsTwoApproversAndNoReview()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 3 }).WithRequest("db.admin", OperationKind.Execute, "prod/db")
            .WithRules(Rules.AllowReviewedAfter("reviewed")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.RequiredApprovals.ShouldBe(2);
        decision.ReviewAfter.ShouldBeFalse();
        decision.Reasons.ShouldNotContain(r => r.Code == DecisionCodes.ReviewAfter);
    }

    [Fact]
    public void Decide_WhenALevelOneWriteBreaksACap_DeniesWithoutReview()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 1 }).WithRequest("crm.notes", OperationKind.Write, "crm/a", records: 101).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.ReviewAfter.ShouldBeFalse();
    }

    private static string Resource(string tool) => tool switch
    {
        "crm.read" or "crm.notes" => "crm/a",
        "erp.invoices" => "erp/invoices/1",
        "db.admin" => "prod/db",
        _ => "payments/p1",
    };
}
