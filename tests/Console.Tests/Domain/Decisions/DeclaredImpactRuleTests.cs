using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Features.Policies;

namespace Warden.Tests.Domain.Decisions;

/// <summary>A rule's <c>require</c>: what lacks the named figure meets the rule's effect; what declares it does not.</summary>
public sealed class DeclaredImpactRuleTests
{
    private static readonly PolicyRule AmountRequired =
        Rules.Deny("payments-declare-amount", new PolicyMatch { Tools = ["payments.send"], Requires = [PolicyRequirement.Amount] }, "Say how much.");

    private static ContextBuilder Payment(RequestImpact impact) => ContextBuilder.Default
        .WithAgent(a => a with { AutonomyLevel = 3 })
        .WithRules(AmountRequired, Rules.Allow("payments-allowed", new PolicyMatch { Tools = ["payments.send"] })) with
    {
        Request = new DecisionRequest("payments.send", OperationKind.Execute, "payments/7", impact),
    };

    [Fact]
    public void APaymentWithoutAnyImpact_IsRefusedWithImpactRequired()
    {
        var decision = DecisionEngine.Decide(Payment(RequestImpact.None).Build());

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.ImpactRequired);
        decision.PrimaryReason.Message.ShouldBe("Say how much.");
        decision.MatchedRuleId.ShouldBe("payments-declare-amount");
    }

    [Fact]
    public void APaymentDeclaringRecordsButNoAmount_StillLacksTheAmount()
    {
        var decision = DecisionEngine.Decide(Payment(new RequestImpact(Records: 1, Declared: ImpactFigures.Records)).Build());

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.ImpactRequired);
    }

    [Fact]
    public void APaymentDeclaringAnAmountOfZero_HasDeclaredIt()
    {
        var decision = DecisionEngine.Decide(Payment(new RequestImpact(Amount: 0m, Currency: "EUR", Declared: ImpactFigures.Amount)).Build());

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.MatchedRuleId.ShouldBe("payments-allowed");
    }

    [Theory]
    [InlineData(ImpactFigures.None, true)]
    [InlineData(ImpactFigures.Records, false)]
    [InlineData(ImpactFigures.Amount, false)]
    public void RequireImpact_IsMetByEitherFigure(ImpactFigures declared, bool lacks)
    {
        var match = new PolicyMatch { Requires = [PolicyRequirement.Impact] };

        match.LacksRequirement(new DecisionRequest("t", OperationKind.Read, "r", new RequestImpact(Declared: declared))).ShouldBe(lacks);
    }

    [Fact]
    public void TheYaml_ReadsRequire_AndGivesADefaultMessageNamingWhatIsMissing()
    {
        var policy = new PolicyYamlLoader().Load("version: v1\nrules:\n  - id: r\n    match: { tools: [crm.update] }\n    require: [records]\n    effect: deny\n");

        policy.IsSuccess.ShouldBeTrue(policy.Error.Message);
        var rule = policy.Value.Rules.Single();
        rule.Match.Requires.ShouldBe([PolicyRequirement.Records]);
        rule.Effect.Message!.ShouldContain("impact.records");
    }

    [Theory]
    [InlineData("version: v1\nrules:\n  - id: r\n    require: impact\n    effect: allow\n", "deny or require_approval")]
    [InlineData("version: v1\nrules:\n  - id: r\n    require: [colour]\n    effect: deny\n", "unknown requirement 'colour'")]
    public void TheYaml_RefusesARequirementThatCannotMeanAnything(string yaml, string expected)
    {
        var policy = new PolicyYamlLoader().Load(yaml);

        policy.IsFailure.ShouldBeTrue();
        policy.Error.Message.ShouldContain(expected);
    }

    [Fact]
    public void ARuleWithARequirement_DoesNotCoverTheSameRuleWithout()
    {
        var without = new PolicyMatch { Tools = ["payments.send"] };
        var with = without with { Requires = [PolicyRequirement.Amount] };

        PolicyValidator.Covers(with, without).ShouldBeFalse();
        PolicyValidator.Covers(without, with).ShouldBeTrue();
        PolicyValidator.IsEmpty(new PolicyMatch { Requires = [PolicyRequirement.Impact] }).ShouldBeFalse();
    }
}
