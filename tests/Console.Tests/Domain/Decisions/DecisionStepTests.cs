using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using static Warden.Tests.Domain.Decisions.ContextBuilder;

namespace Warden.Tests.Domain.Decisions;

/// <summary>Each refusal step of the pipeline on its own.</summary>
public sealed class DecisionStepTests
{
    [Fact]
    public void Decide_WhenEverythingPasses_AllowsALowRiskWriteAtLevelOne()
    {
        var context = Default.Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AllowedByAutonomy);
        decision.RiskTier.ShouldBe(RiskTier.Low);
        decision.PolicyVersion.ShouldBe("test-1");
        decision.IsViolation.ShouldBeFalse();
    }

    public static TheoryData<string> ContainmentScopes => ["agent", "owner", "segment", "everything"];

    [Theory]
    [MemberData(nameof(ContainmentScopes))]
    public void Decide_WhenContainedAtAnyScope_DeniesAsContained(string scope)
    {
        var agent = DefaultAgent;
        var containment = scope switch
        {
            "agent" => Rules.Containing(agent: agent.Id),
            "owner" => Rules.Containing(owner: agent.OwnerId),
            "segment" => Rules.Containing(segment: agent.Segment),
            _ => Rules.Containing(everything: true),
        };
        var context = (Default with { Containment = containment }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.Contained);
        decision.IsViolation.ShouldBeFalse();
    }

    [Fact]
    public void Decide_WhenAnotherOwnerOrSegmentIsContained_IsNotContained()
    {
        var containment = Rules.Containing(owner: new UserId("someone-else"), segment: "support");
        var context = (Default with { Containment = containment }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
    }

    [Theory]
    [InlineData(AgentStatus.Suspended)]
    [InlineData(AgentStatus.Contained)]
    [InlineData(AgentStatus.Retired)]
    [InlineData(AgentStatus.PendingReview)]
    public void Decide_WhenAgentIsNotActive_DeniesAsNotActive(AgentStatus status)
    {
        var context = Default.WithAgent(a => a with { Status = status }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AgentNotActive);
    }

    [Fact]
    public void Decide_WhenAttestationOverdueAndEnforced_DeniesAsAttestationOverdue()
    {
        var context = Default.WithAgent(a => a with { AttestationOverdue = true, AttestationEnforced = true }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AttestationOverdue);
    }

    [Fact]
    public void Decide_WhenAttestationOverdueButNotEnforced_Allows()
    {
        var context = Default.WithAgent(a => a with { AttestationOverdue = true, AttestationEnforced = false }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
    }

    [Fact]
    public void Decide_WhenToolIsNotDeclared_DeniesAsViolation()
    {
        var context = Default.WithRequest("shell.exec", OperationKind.Execute, "crm/x").Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.ToolNotAllowed);
        decision.IsViolation.ShouldBeTrue();
        decision.RiskTier.ShouldBeNull();
    }

    [Fact]
    public void Decide_WhenOperationIsNotDeclaredForTheTool_DeniesAsViolation()
    {
        var context = Default.WithRequest("crm.read", OperationKind.Delete, "crm/accounts/1").Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.OperationNotAllowed);
        decision.IsViolation.ShouldBeTrue();
        decision.RiskTier.ShouldBe(RiskTier.Low);
    }

    [Theory]
    [InlineData("hr/salaries/1")]
    [InlineData("erp/invoices/1/lines")]
    [InlineData("")]
    public void Decide_WhenResourceIsOutsideEveryScope_DeniesAsViolation(string resource)
    {
        var context = Default.WithRequest("erp.invoices", OperationKind.Read, resource).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.ResourceOutOfScope);
        decision.IsViolation.ShouldBeTrue();
    }

    [Fact]
    public void Decide_WhenMinuteBudgetIsUsed_DeniesWithRetryAfterUntilTheMinuteEnds()
    {
        var context = (Default with { Usage = new UsageView(60, 0, 0m), Now = Noon }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.RateLimited);
        decision.IsViolation.ShouldBeTrue();
        decision.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Decide_WhenOneRequestIsLeftThisMinute_Allows()
    {
        var context = (Default with { Usage = new UsageView(59, 0, 0m) }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        decision.RetryAfter.ShouldBeNull();
    }

    [Theory]
    [InlineData(101, 0, DecisionCodes.CapExceeded)]
    [InlineData(0, 5_000.01, DecisionCodes.CapExceeded)]
    public void Decide_WhenOneActionExceedsItsCap_DeniesAsViolation(int records, decimal amount, string code)
    {
        var context = Default.WithRequest("erp.invoices", OperationKind.Write, "erp/invoices/1", records, amount).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(code);
        decision.IsViolation.ShouldBeTrue();
    }

    [Fact]
    public void Decide_WhenActionIsExactlyAtItsCap_IsNotCapped()
    {
        var context = Default.WithRequest("erp.invoices", OperationKind.Read, "erp/invoices/1", 100, 5_000m).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Allow);
    }

    [Theory]
    [InlineData(950, 0, 51, 0)]
    [InlineData(0, 19_000, 0, 1_000.01)]
    public void Decide_WhenTodaysTotalsWouldPassTheBudget_DeniesAsDailyBudgetExceeded(long usedRecords, decimal usedAmount, int records, decimal amount)
    {
        var context = (Default with { Usage = new UsageView(0, usedRecords, usedAmount) })
            .WithRequest("erp.invoices", OperationKind.Read, "erp/invoices/1", records, amount).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.DailyBudgetExceeded);
        decision.IsViolation.ShouldBeTrue();
    }

    [Fact]
    public void Decide_WhenAmountIsInAnotherCurrency_DeniesAsCurrencyMismatch()
    {
        var context = Default.WithRequest("erp.invoices", OperationKind.Read, "erp/invoices/1", amount: 10m, currency: "USD").Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.CurrencyMismatch);
    }

    [Fact]
    public void Decide_WhenEvaluationThrows_DeniesAsEvaluationError()
    {
        var context = (Default with { Containment = new ThrowingContainment() }).Build();

        var decision = DecisionEngine.Decide(context);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.EvaluationError);
        decision.PolicyVersion.ShouldBe("test-1");
    }

    [Fact]
    public void Decide_WhenContextIsMissing_DeniesAsEvaluationError()
    {
        var decision = DecisionEngine.Decide(null!);

        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.EvaluationError);
    }

    private sealed class ThrowingContainment : IContainmentView
    {
        public string? Contained(AgentView agent) => throw new InvalidOperationException("containment store unavailable");
    }
}
