using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Domain.Previews;
using Warden.Features.Policies;
using Warden.Tests.Domain.Decisions;

namespace Warden.Tests.Domain.Previews;

/// <summary><c>require: preview</c>, and a tool declaring a preview: a request without one is held or refused, never allowed.</summary>
public sealed class RequirePreviewRuleTests
{
    private static DecisionContext Payment(PreviewPresence presence, bool declared, params PolicyRule[] rules) =>
        (ContextBuilder.Default.WithAgent(a => a with { AutonomyLevel = 3 }).WithRules(rules) with
        {
            Request = new DecisionRequest("payments.send", OperationKind.Execute, "payments/7", new RequestImpact(0, 100m, "EUR")) { Preview = presence },
        }).Build() with { PreviewDeclared = declared };

    private static readonly PolicyRule DenyWithout =
        Rules.Deny("payments-need-preview", new PolicyMatch { Tools = ["payments.send"], Requires = [PolicyRequirement.Preview] }, "Show what it pays.");

    private static readonly PolicyRule HoldWithout =
        Rules.Approve("payments-hold-without-preview", new PolicyMatch { Tools = ["payments.send"], Requires = [PolicyRequirement.Preview] });

    [Fact]
    public void RequirePreviewDeny_WithoutAPreview_IsRefusedWithPreviewRequired()
    {
        var decision = DecisionEngine.Decide(Payment(PreviewPresence.Absent, declared: false, DenyWithout));

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.PreviewRequired);
        decision.PrimaryReason.Message.ShouldBe("Show what it pays.");
    }

    [Theory]
    [InlineData(PreviewPresence.Given)]
    [InlineData(PreviewPresence.ToFetch)]
    public void RequirePreview_WithAPreviewAtHandOrToBeFetched_DoesNotApply(PreviewPresence presence)
    {
        var decision = DecisionEngine.Decide(Payment(presence, declared: true, DenyWithout));

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
    }

    [Fact]
    public void RequirePreviewApproval_WithAnUnreadablePreview_IsHeld()
    {
        var decision = DecisionEngine.Decide(Payment(PreviewPresence.Unreadable, declared: true, HoldWithout));

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.MatchedRuleId.ShouldBe("payments-hold-without-preview");
        decision.Reasons.Select(r => r.Code).ShouldContain(DecisionCodes.PreviewUnavailable);
    }

    [Fact]
    public void ADeclaredPreview_MissingFromTheRequest_TurnsAnAllowIntoAHoldWithTheReason()
    {
        var decision = DecisionEngine.Decide(Payment(PreviewPresence.Absent, declared: true));

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.PreviewMissing);
        decision.RequiredApprovals.ShouldBe(1);
    }

    [Fact]
    public void AnUndeclaredPreview_MissingFromTheRequest_ChangesNothing() =>
        DecisionEngine.Decide(Payment(PreviewPresence.Absent, declared: false)).Outcome.ShouldBe(DecisionOutcome.Allow);

    [Fact]
    public void AfterFetch_NeverTurnsAHoldIntoAnAllow()
    {
        var held = new Decision(DecisionOutcome.Pending, [new DecisionReason(DecisionCodes.AutonomyRequiresApproval, "held")], RiskTier.High, "v", 1);
        var again = DecisionEngine.Decide(Payment(PreviewPresence.Given, declared: true));

        var decided = PreviewBinding.AfterFetch(held, again, failure: null);

        again.Outcome.ShouldBe(DecisionOutcome.Allow);
        decided.ShouldBe(held);
    }

    [Fact]
    public void AfterFetch_ThatFailed_UnderADenyRule_RefusesWithTheReason()
    {
        var held = new Decision(DecisionOutcome.Pending, [new DecisionReason(DecisionCodes.AutonomyRequiresApproval, "held")], RiskTier.High, "v", 1);
        var again = DecisionEngine.Decide(Payment(PreviewPresence.Unreadable, declared: true, DenyWithout));

        var decided = PreviewBinding.AfterFetch(held, again, "no answer within 5 s");

        decided.Outcome.ShouldBe(DecisionOutcome.Deny);
        decided.PrimaryReason.Code.ShouldBe(DecisionCodes.PreviewRequired);
        decided.Reasons[^1].Message.ShouldContain("no answer within 5 s");
    }

    [Fact]
    public void AfterFetch_ThatFailed_UnderNoRule_StaysHeldAndSaysWhyOnce()
    {
        var held = new Decision(DecisionOutcome.Pending, [new DecisionReason(DecisionCodes.AutonomyRequiresApproval, "held")], RiskTier.High, "v", 1);
        var again = DecisionEngine.Decide(Payment(PreviewPresence.Unreadable, declared: true));

        var decided = PreviewBinding.AfterFetch(held, again, "The tool answered HTTP 500.");

        decided.Outcome.ShouldBe(DecisionOutcome.Pending);
        decided.Reasons.Where(r => r.Code == DecisionCodes.PreviewUnavailable).ShouldHaveSingleItem().Message.ShouldContain("HTTP 500");
    }

    [Fact]
    public void TheYaml_ReadsRequirePreview()
    {
        var policy = new PolicyYamlLoader().Load("version: v1\nrules:\n  - id: r\n    match: { tools: [payments.send] }\n    require: preview\n    effect: require_approval\n");

        policy.IsSuccess.ShouldBeTrue(policy.Error.Message);
        policy.Value.Rules.Single().Match.Requires.ShouldBe([PolicyRequirement.Preview]);
    }
}
