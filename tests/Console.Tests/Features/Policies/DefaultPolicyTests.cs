using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Features.Policies;
using Warden.Tests.Domain.Decisions;

namespace Warden.Tests.Features.Policies;

/// <summary>The default policy does what its rule descriptions promise.</summary>
public sealed class DefaultPolicyTests
{
    private static readonly ContextBuilder Builder = ContextBuilder.Default with
    {
        Policy = new PolicyYamlLoader().Load(DefaultPolicy.Yaml).Value,
        Agent = ContextBuilder.DefaultAgent with { AutonomyLevel = 3 },
    };

    [Fact]
    public void Decide_DeleteUnderProd_IsDenied()
    {
        var context = Builder.WithRequest("erp.invoices", OperationKind.Delete, "prod/invoices/1").Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.MatchedRuleId.ShouldBe("deny-prod-deletes");
    }

    [Fact]
    public void Decide_PaymentOfAThousand_NeedsTwoApprovers()
    {
        var context = Builder.WithRequest("payments.send", OperationKind.Execute, "payments/p1", amount: 1_000m).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.RequiredApprovals.ShouldBe(2);
        decision.MatchedRuleId.ShouldBe("large-payments-need-two");
    }

    [Fact]
    public void Decide_HighRiskPaymentOnAWeeknight_NeedsApproval()
    {
        var context = (Builder with { Now = new DateTimeOffset(2026, 11, 25, 21, 0, 0, TimeSpan.Zero) })
            .WithRequest("payments.send", OperationKind.Execute, "payments/p1", amount: 10m).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Pending);
        decision.MatchedRuleId.ShouldBe("after-hours-high-risk-weeknights");
    }

    [Fact]
    public void Decide_SmallHighRiskPaymentAtNoonOnAWeekday_IsAllowedAtLevelThree()
    {
        var context = Builder.WithRequest("payments.send", OperationKind.Execute, "payments/p1", amount: 10m).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AllowedByAutonomy);
    }
}
