using Warden.Domain.Agents;
using Warden.Domain.Decisions;

namespace Warden.Tests.Domain.Decisions;

public sealed class ImpactExcessTests
{
    private static readonly ImpactCaps Caps = new(MaxRecordsPerAction: 50, MaxAmountPerAction: 1_000m, DailyRecordBudget: 500, DailyAmountBudget: 5_000m, Currency: "EUR");

    [Theory]
    [InlineData(5, 0, 5, null)]
    [InlineData(5, 0, 0, null)]
    [InlineData(5, 0, null, null)]
    [InlineData(0, 200, null, 200)]
    public void AnOutcomeWithinItsDeclaration_IsNoExcess(int declaredRecords, int declaredAmount, int? records, int? amount) =>
        ImpactExcess.Of(declaredRecords, declaredAmount, records, amount, Caps).ShouldBeNull();

    [Fact]
    public void MoreRecordsThanDeclared_WithinTheCap_IsOverReported()
    {
        var excess = ImpactExcess.Of(5, 0m, 12, null, Caps).ShouldNotBeNull();

        excess.Code.ShouldBe(DecisionCodes.ImpactOverReported);
        excess.ExtraRecords.ShouldBe(7);
        excess.ExtraAmount.ShouldBe(0m);
        excess.Message.ShouldContain("12 records");
    }

    [Fact]
    public void AnUndeclaredImpact_CountsAsZero()
    {
        var excess = ImpactExcess.Of(0, 0m, 3, 10m, Caps).ShouldNotBeNull();

        excess.Code.ShouldBe(DecisionCodes.ImpactOverReported);
        (excess.ExtraRecords, excess.ExtraAmount).ShouldBe((3, 10m));
    }

    [Fact]
    public void MoreThanACap_IsOverTheCap_EvenWhenItWasDeclared()
    {
        var excess = ImpactExcess.Of(60, 0m, 60, null, Caps).ShouldNotBeNull();

        excess.Code.ShouldBe(DecisionCodes.ImpactOverCap);
        excess.ExtraRecords.ShouldBe(0);
        excess.Message.ShouldContain("cap of 50");
    }

    [Fact]
    public void AnAmountBeyondItsCap_IsOverTheCap_WithItsExcessCounted()
    {
        var excess = ImpactExcess.Of(1, 100m, 1, 99_999m, Caps).ShouldNotBeNull();

        excess.Code.ShouldBe(DecisionCodes.ImpactOverCap);
        excess.ExtraAmount.ShouldBe(99_899m);
        excess.Message.ShouldContain("EUR");
    }

    [Fact]
    public void WithoutCaps_OnlyTheDeclarationBounds()
    {
        ImpactExcess.Of(1, 0m, 1_000_000, null, ImpactCaps.None).ShouldNotBeNull().Code.ShouldBe(DecisionCodes.ImpactOverReported);
    }
}
