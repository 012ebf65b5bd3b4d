using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using static Warden.Tests.Domain.Decisions.ContextBuilder;

namespace Warden.Tests.Domain.Decisions;

/// <summary>Step 9: guardrail findings reach the policy; what was not read is refused; content rules say what they found.</summary>
public sealed class GuardrailStepTests
{
    private static GuardrailFinding Found(string kind, double confidence = 0.95, string location = "$.note") =>
        new(kind, FindingSeverity.High, location, confidence);

    [Theory]
    [InlineData("secret", "secret.cloud_key", true)]
    [InlineData("secret", "secret", true)]
    [InlineData("pii.email", "pii.email", true)]
    [InlineData("pii.custom", "pii.custom:employee_id", true)]
    [InlineData("pii", "pii.email", true)]
    [InlineData("pii.e", "pii.email", false)]
    [InlineData("secret", "secrets.cloud_key", false)]
    [InlineData("injection", "pii.email", false)]
    [InlineData("pii.email", "pii", false)]
    public void KindMatches_FamilyOrWholeKind(string pattern, string kind, bool matches) =>
        PolicyMatch.KindMatches(pattern, kind).ShouldBe(matches);

    [Fact]
    public void Decide_FamilyRuleMatchesAnyKindOfTheFamily_AndSaysWhatItFound()
    {
        var context = (Default with { Findings = [Found("secret.cloud_key", 0.99, "$.config.key")] })
            .WithRules(Rules.Deny("no-secrets", new PolicyMatch { Findings = ["secret"] }, "Remove the secret.")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.IsViolation.ShouldBeTrue();
        decision.Reasons.Select(r => r.Code).ShouldBe([DecisionCodes.PolicyDeny, DecisionCodes.GuardrailFinding]);
        decision.Reasons[0].Message.ShouldBe("Remove the secret.");
        decision.Reasons[1].Message.ShouldBe("Found secret.cloud_key at $.config.key (confidence 0.99).");
    }

    [Fact]
    public void Decide_FindingBelowTheRulesMinimumConfidence_DoesNotCount()
    {
        var rule = Rules.Approve("injection-review", new PolicyMatch { Findings = ["injection"], MinConfidence = 0.8 });
        var weak = (Default with { Findings = [Found("injection.roleplay", 0.6)] }).WithRules(rule).Build();
        var strong = (Default with { Findings = [Found("injection.roleplay", 0.8)] }).WithRules(rule).Build();

        DecisionEngine.Decide(weak).MatchedRuleId.ShouldBeNull();
        DecisionEngine.Decide(strong).MatchedRuleId.ShouldBe("injection-review");
        DecisionEngine.Decide(strong).Outcome.ShouldBe(DecisionOutcome.Pending);
    }

    [Fact]
    public void Decide_ReasonListsOnlyTheFindingsTheRuleCounted_AndAtMostFive()
    {
        var findings = Enumerable.Range(0, 7).Select(i => Found("pii.email", 0.9, $"$.to[{i}]")).Append(Found("injection.override")).ToList();
        var context = (Default with { Findings = findings })
            .WithRules(Rules.Approve("pii-review", new PolicyMatch { Findings = ["pii.email"] })).Build();

        var reason = DecisionEngine.Decide(context).Reasons.Single(r => r.Code == DecisionCodes.GuardrailFinding).Message;

        reason.ShouldContain("$.to[4]");
        reason.ShouldNotContain("$.to[5]");
        reason.ShouldEndWith(" and 2 more.");
        reason.ShouldNotContain("injection");
    }

    [Fact]
    public void Decide_AllowRuleAboutContent_AllowsAndRecordsWhatItFound()
    {
        var context = (Default with { Findings = [Found("pii.ip", 0.7, "$.client")] })
            .WithRules(Rules.Allow("ips-are-fine", new PolicyMatch { Findings = ["pii.ip"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.IsViolation.ShouldBeFalse();
        decision.Reasons[^1].Code.ShouldBe(DecisionCodes.GuardrailFinding);
    }

    [Theory]
    [InlineData("guardrail.input_truncated")]
    [InlineData("guardrail.scan_timeout")]
    [InlineData("guardrail.scanner_failed")]
    [InlineData("guardrail.detector_unavailable")]
    public void Decide_WhatWasNotRead_IsRefusedEvenWhenAPolicyWouldAllow(string kind)
    {
        var context = (Default with { Findings = [Found(kind, 1.0, "$")] }).WithRules(Rules.Allow("allow-all")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.GuardrailUnchecked);
        decision.PrimaryReason.Message.ShouldContain(kind);
        decision.IsViolation.ShouldBeTrue();
        decision.PolicyVersion.ShouldBe("test-1");
    }

    [Fact]
    public void Decide_CapsComeBeforeTheGuardrailStep()
    {
        var context = (Default with { Findings = [Found("guardrail.input_truncated", 1.0, "$")] })
            .WithRequest("crm.notes", OperationKind.Write, "crm/accounts/42", records: 500).Build();

        DecisionEngine.Decide(context).PrimaryReason.Code.ShouldBe(DecisionCodes.CapExceeded);
    }

    [Fact]
    public void ReviewOutput_WithoutContentRulesMatching_ReleasesEvenWhereTheActionRulesWouldNot()
    {
        // A rule about the action (every write needs approval) does not apply to its output.
        var context = Default.WithRules(Rules.Approve("writes-need-approval", new PolicyMatch { Operations = [OperationKind.Write] })).Build();

        var decision = DecisionEngine.ReviewOutput(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.OutputReleased);
    }

    [Fact]
    public void ReviewOutput_ContentRules_DenyOverRequireApproval()
    {
        var context = (Default with { Findings = [Found("secret.jwt"), Found("injection.override")] })
            .WithRules(
                Rules.Approve("injection-review", new PolicyMatch { Findings = ["injection"] }),
                Rules.Deny("no-secrets", new PolicyMatch { Findings = ["secret"] })).Build();

        var decision = DecisionEngine.ReviewOutput(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.MatchedRuleId.ShouldBe("no-secrets");
        decision.Reasons[^1].Message.ShouldContain("secret.jwt");
    }

    [Fact]
    public void ReviewOutput_ContainedOrUnread_IsRefused()
    {
        var contained = (Default with { Containment = Rules.Containing(everything: true) }).Build();
        var unread = (Default with { Findings = [Found("guardrail.input_truncated", 1.0, "$")] }).Build();

        DecisionEngine.ReviewOutput(contained).PrimaryReason.Code.ShouldBe(DecisionCodes.Contained);
        DecisionEngine.ReviewOutput(unread).PrimaryReason.Code.ShouldBe(DecisionCodes.GuardrailUnchecked);
    }

    [Fact]
    public void ReviewOutput_ApprovalRuleAboutContent_HoldsTheOutput()
    {
        var context = (Default with { Findings = [Found("pii.outbound", 0.9, "$.output.to")] })
            .WithRules(Rules.Approve("pii-leaving", new PolicyMatch { Findings = ["pii.outbound"] }, approvers: 2)).Build();

        var decision = DecisionEngine.ReviewOutput(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.RequiredApprovals.ShouldBe(2);
    }
}
