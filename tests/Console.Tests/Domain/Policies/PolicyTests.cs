using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Tests.Domain.Decisions;

namespace Warden.Tests.Domain.Policies;

public sealed class PolicyTests
{
    [Fact]
    public void Evaluate_RuleNamingAnotherTool_IsNotConsulted()
    {
        var policy = new Policy("v1", [Rules.Deny("payments-only", new PolicyMatch { Tools = ["payments.send"] })]);
        var context = ContextBuilder.Default.Build();

        var verdict = policy.Evaluate(context, RiskTier.Low);

        verdict.Decisive.ShouldBeNull();
    }

    [Fact]
    public void Evaluate_RuleNamingSeveralTools_AppliesToEachOfThem()
    {
        var policy = new Policy("v1", [Rules.Deny("two-tools", new PolicyMatch { Tools = ["payments.send", "crm.notes"] })]);
        var context = ContextBuilder.Default.Build();

        var verdict = policy.Evaluate(context, RiskTier.Low);

        verdict.Deny!.Id.ShouldBe("two-tools");
    }

    public static TheoryData<string, PolicyMatch, bool> Matches => new()
    {
        { "operation", new PolicyMatch { Operations = [OperationKind.Write] }, true },
        { "other operation", new PolicyMatch { Operations = [OperationKind.Delete] }, false },
        { "resource", new PolicyMatch { Resources = [ResourceScope.Create("erp/**").Value] }, true },
        { "other resource", new PolicyMatch { Resources = [ResourceScope.Create("crm/**").Value] }, false },
        { "risk", new PolicyMatch { RiskTiers = [RiskTier.Medium] }, true },
        { "other risk", new PolicyMatch { RiskTiers = [RiskTier.High, RiskTier.Critical] }, false },
        { "amount at threshold", new PolicyMatch { MinAmount = 250m }, true },
        { "amount below threshold", new PolicyMatch { MinAmount = 250.01m }, false },
        { "records at threshold", new PolicyMatch { MinRecords = 5 }, true },
        { "records below threshold", new PolicyMatch { MinRecords = 6 }, false },
        { "autonomy level", new PolicyMatch { AutonomyLevels = [1, 2] }, true },
        { "other autonomy level", new PolicyMatch { AutonomyLevels = [0] }, false },
        { "segment", new PolicyMatch { Segments = ["finance"] }, true },
        { "other segment", new PolicyMatch { Segments = ["support"] }, false },
        { "everything empty", PolicyMatch.Any, true },
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public void Matches_EachCondition_NarrowsTheRule(string condition, PolicyMatch match, bool expected)
    {
        var context = ContextBuilder.Default.WithRequest("erp.invoices", OperationKind.Write, "erp/invoices/7", records: 5, amount: 250m).Build();

        var matches = match.Matches(context, RiskTier.Medium);

        matches.ShouldBe(expected, condition);
    }

    [Fact]
    public void Matches_WithTimeWindow_UsesTheContextsNowNotTheClock()
    {
        var nights = TimeWindow.Create([], new TimeOnly(19, 0), new TimeOnly(7, 0), "UTC").Value;
        var match = new PolicyMatch { Window = nights };
        var night = (ContextBuilder.Default with { Now = new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero) }).Build();
        var day = ContextBuilder.Default.Build();

        var atNight = match.Matches(night, RiskTier.Low);
        var atNoon = match.Matches(day, RiskTier.Low);

        atNight.ShouldBeTrue();
        atNoon.ShouldBeFalse();
    }

    [Fact]
    public void Create_WithDuplicateRuleIds_Fails()
    {
        var result = Policy.Create("v1", [Rules.Allow("same"), Rules.Deny("same")]);

        result.Error.ShouldBe(PolicyErrors.DuplicateRuleId("same"));
    }

    [Fact]
    public void Create_WithEmptyRuleId_Fails()
    {
        var result = Policy.Create("v1", [Rules.Allow(" ")]);

        result.Error.ShouldBe(PolicyErrors.RuleIdRequired);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void RequireApproval_WithApproversOutsideOneOrTwo_Fails(int approvers)
    {
        var result = PolicyEffect.RequireApproval(approvers);

        result.Error.Code.ShouldBe("policy.invalid_approvers");
    }
}
