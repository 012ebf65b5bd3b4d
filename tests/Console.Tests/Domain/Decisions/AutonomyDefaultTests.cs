using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using static Warden.Tests.Domain.Decisions.ContextBuilder;

namespace Warden.Tests.Domain.Decisions;

/// <summary>What each autonomy level may do alone when no policy rule decides.</summary>
public sealed class AutonomyDefaultTests
{
    [Theory]
    [InlineData(0, "crm.notes", OperationKind.Read, DecisionOutcome.Allow)]
    [InlineData(0, "crm.notes", OperationKind.Write, DecisionOutcome.Pending)]
    [InlineData(0, "erp.invoices", OperationKind.Delete, DecisionOutcome.Pending)]
    [InlineData(1, "crm.notes", OperationKind.Write, DecisionOutcome.Allow)]
    [InlineData(1, "erp.invoices", OperationKind.Write, DecisionOutcome.Pending)]
    [InlineData(2, "erp.invoices", OperationKind.Delete, DecisionOutcome.Pending)]
    [InlineData(2, "payments.send", OperationKind.Execute, DecisionOutcome.Pending)]
    [InlineData(3, "payments.send", OperationKind.Execute, DecisionOutcome.Allow)]
    [InlineData(3, "erp.invoices", OperationKind.Read, DecisionOutcome.Allow)]
    public void Decide_AtEachLevel_FollowsItsDefault(int level, string tool, OperationKind operation, DecisionOutcome expected)
    {
        var resource = tool switch { "crm.notes" => "crm/a", "erp.invoices" => "erp/invoices/1", _ => "payments/p1" };
        // What a tool declares about undoing its actions is unknown here: level 2 holds such writes (AutonomyLevelTests covers the rest).
        var context = Default.WithAgent(a => a with { AutonomyLevel = level }).WithRequest(tool, operation, resource).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(expected);
        decision.PrimaryReason.Code.ShouldBe(expected == DecisionOutcome.Allow ? DecisionCodes.AllowedByAutonomy : DecisionCodes.AutonomyRequiresApproval);
    }

    [Fact]
    public void Decide_WhenAutonomyHoldsAWrite_AsksOneApproverForFifteenMinutes()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 0 }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.RequiredApprovals.ShouldBe(1);
        decision.ApprovalExpiry.ShouldBe(TimeSpan.FromMinutes(15));
    }

    [Theory]
    [InlineData(0, OperationKind.Execute)]
    [InlineData(3, OperationKind.Execute)]
    [InlineData(3, OperationKind.Read)]
    public void Decide_WhenToolIsCritical_AlwaysNeedsTwoApprovers(int level, OperationKind operation)
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = level }).WithRequest("db.admin", operation, "prod/db").Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.RequiredApprovals.ShouldBe(2);
        decision.RiskTier.ShouldBe(RiskTier.Critical);
        decision.Reasons.ShouldContain(r => r.Code == DecisionCodes.CriticalRequiresTwoApprovers);
    }

    [Fact]
    public void Decide_WhenPolicyAllowsACriticalAction_StillNeedsTwoApprovers()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 3 }).WithRequest("db.admin", OperationKind.Execute, "prod/db")
            .WithRules(Rules.Allow("allow-all")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.RequiredApprovals.ShouldBe(2);
    }

    [Fact]
    public void Decide_WhenPolicyAsksOneApproverForACriticalAction_RaisesItToTwoAndKeepsTheRule()
    {
        var context = Default.WithRequest("db.admin", OperationKind.Execute, "prod/db")
            .WithRules(Rules.Approve("one-approver", expiryMinutes: 45)).Build();

        var decision = DecisionEngine.Decide(context);

        decision.RequiredApprovals.ShouldBe(2);
        decision.ApprovalExpiry.ShouldBe(TimeSpan.FromMinutes(45));
        decision.MatchedRuleId.ShouldBe("one-approver");
        decision.Reasons.Select(r => r.Code).ShouldBe([DecisionCodes.PolicyRequiresApproval, DecisionCodes.CriticalRequiresTwoApprovers]);
    }

    [Fact]
    public void Decide_WhenPolicyDeniesACriticalAction_Denies()
    {
        var context = Default.WithRequest("db.admin", OperationKind.Execute, "prod/db").WithRules(Rules.Deny("no")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
    }
}
