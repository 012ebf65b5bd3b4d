using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using static Warden.Tests.Domain.Decisions.ContextBuilder;

namespace Warden.Tests.Domain.Decisions;

/// <summary>The policy step: which rule decides, and how its effect becomes the answer.</summary>
public sealed class PolicyStepTests
{
    [Fact]
    public void Decide_WhenDenyApprovalAndAllowAllMatch_DeniesWithTheRuleMessage()
    {
        var context = Default.WithRules(
            Rules.Allow("allow-all"),
            Rules.Approve("approve-all"),
            Rules.Deny("deny-all", message: "Not today.")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.ShouldBe(new DecisionReason(DecisionCodes.PolicyDeny, "Not today."));
        decision.MatchedRuleId.ShouldBe("deny-all");
        decision.IsViolation.ShouldBeFalse();
    }

    [Fact]
    public void Decide_WhenApprovalAndAllowMatch_IsPendingWithTheRulesApprovers()
    {
        var context = Default.WithRules(Rules.Allow("allow-all"), Rules.Approve("two-needed", approvers: 2, expiryMinutes: 30)).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.PolicyRequiresApproval);
        decision.RequiredApprovals.ShouldBe(2);
        decision.ApprovalExpiry.ShouldBe(TimeSpan.FromMinutes(30));
        decision.MatchedRuleId.ShouldBe("two-needed");
    }

    [Fact]
    public void Decide_WhenTwoApprovalRulesMatch_TheOneAskingForMoreApproversWins()
    {
        var context = Default.WithRules(Rules.Approve("one"), Rules.Approve("two", approvers: 2)).Build();

        var decision = DecisionEngine.Decide(context);

        decision.MatchedRuleId.ShouldBe("two");
        decision.RequiredApprovals.ShouldBe(2);
    }

    [Fact]
    public void Decide_WhenTwoDenyRulesMatch_TheFirstInTheDocumentWins()
    {
        var context = Default.WithRules(
            Rules.Deny("any-tool-first"),
            Rules.Deny("tool-specific-second", new PolicyMatch { Tools = ["crm.notes"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.MatchedRuleId.ShouldBe("any-tool-first");
    }

    [Fact]
    public void Decide_WhenPolicyAllowsAWriteLevelZeroWouldHold_Allows()
    {
        var context = Default.WithAgent(a => a with { AutonomyLevel = 0 })
            .WithRules(Rules.Allow("notes-are-fine", new PolicyMatch { Tools = ["crm.notes"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AllowedByPolicy);
        decision.MatchedRuleId.ShouldBe("notes-are-fine");
    }

    [Fact]
    public void Decide_WhenNoRuleMatches_FallsBackToTheAutonomyDefault()
    {
        var context = Default.WithRules(Rules.Deny("other-tool", new PolicyMatch { Tools = ["erp.invoices"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AllowedByAutonomy);
        decision.MatchedRuleId.ShouldBeNull();
    }

    [Fact]
    public void Decide_WhenRuleMatchesAGuardrailFinding_AppliesIt()
    {
        var finding = new GuardrailFinding("secret", FindingSeverity.High, "parameters.body", 0.98);
        var context = (Default with { Findings = [finding] })
            .WithRules(Rules.Deny("no-secrets", new PolicyMatch { Findings = ["secret"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.MatchedRuleId.ShouldBe("no-secrets");
    }

    [Fact]
    public void Decide_WhenFindingRuleMatchesButNoFindings_DoesNotApplyIt()
    {
        var context = Default.WithRules(Rules.Deny("no-secrets", new PolicyMatch { Findings = ["secret"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
    }

    [Fact]
    public void Decide_WhenProductionDeleteMatchesDenyRule_Denies()
    {
        var rule = Rules.Deny("deny-prod-deletes", new PolicyMatch
        {
            Operations = [OperationKind.Delete],
            Resources = [ResourceScope.Create("prod/**").Value],
        });
        var context = Default.WithRequest("erp.invoices", OperationKind.Delete, "erp/invoices/1").WithRules(rule).Build();
        var prodContext = Default.WithRequest("erp.invoices", OperationKind.Delete, "prod/orders/1")
            .WithAgent(a => a with { Scopes = [.. a.Scopes, ResourceScope.Create("prod/**").Value] }).WithRules(rule).Build();

        var elsewhere = DecisionEngine.Decide(context);
        var production = DecisionEngine.Decide(prodContext);

        elsewhere.Outcome.ShouldNotBe(DecisionOutcome.Deny);
        production.Outcome.ShouldBe(DecisionOutcome.Deny);
    }
}
