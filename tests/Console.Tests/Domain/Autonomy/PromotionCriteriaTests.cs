using Warden.Domain.Autonomy;

namespace Warden.Tests.Domain.Autonomy;

public sealed class PromotionCriteriaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly LevelCriteria ToLevel1 = LevelCriteria.Defaults[0];
    private static readonly LevelCriteria ToLevel2 = LevelCriteria.Defaults[1];
    private static readonly LevelCriteria ToLevel3 = LevelCriteria.Defaults[2];

    private static TrackRecord Record(
        int level = 0, TimeSpan? atLevel = null, TimeSpan? clean = null, int decisions = 1000, int reviewed = 0, int falsePositives = 0,
        bool attested = true, bool? evidence = true) =>
        new(level, Now - (atLevel ?? TimeSpan.FromDays(400)), Now - (clean ?? TimeSpan.FromDays(400)), decisions, reviewed, falsePositives, attested, evidence);

    private static CriterionResult Criterion(IReadOnlyList<CriterionResult> results, string code) => results.Single(c => c.Code == code);

    [Fact]
    public void Evaluate_ExactlyFourteenDaysAtLevelZero_Passes()
    {
        var results = PromotionCriteria.Evaluate(ToLevel1, Record(atLevel: TimeSpan.FromDays(14)), Now);

        Criterion(results, CriterionCodes.DaysAtLevel).Passed.ShouldBeTrue();
        Criterion(results, CriterionCodes.DaysAtLevel).Missing.ShouldBeNull();
    }

    [Fact]
    public void Evaluate_OneSecondShortOfFourteenDays_FailsWithOneMoreDayMissing()
    {
        var results = PromotionCriteria.Evaluate(ToLevel1, Record(atLevel: TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1)), Now);

        var days = Criterion(results, CriterionCodes.DaysAtLevel);
        days.Passed.ShouldBeFalse();
        days.Measured.ShouldBe("13");
        days.Missing.ShouldBe("1 more days at this level");
    }

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)]
    public void Evaluate_DecisionsAroundTheHundredMinimum_PassOnlyFromTheMinimum(int decisions, bool passed)
    {
        var results = PromotionCriteria.Evaluate(ToLevel1, Record(decisions: decisions), Now);

        Criterion(results, CriterionCodes.Decisions).Passed.ShouldBe(passed);
    }

    [Fact]
    public void Evaluate_CriticalViolationEighteenDaysAgo_ReportsTwelveMoreDaysMissingForLevelTwo()
    {
        var results = PromotionCriteria.Evaluate(ToLevel2, Record(level: 1, clean: TimeSpan.FromDays(18)), Now);

        var clean = Criterion(results, CriterionCodes.CriticalFree);
        clean.Passed.ShouldBeFalse();
        clean.Measured.ShouldBe("18");
        clean.Missing.ShouldBe("12 more days without a critical violation");
    }

    [Theory]
    [InlineData(100, 1, false)]
    [InlineData(101, 1, true)]
    [InlineData(100, 0, true)]
    public void Evaluate_FalsePositiveRateAroundOnePercent_PassesOnlyBelowIt(int reviewed, int falsePositives, bool passed)
    {
        var results = PromotionCriteria.Evaluate(ToLevel2, Record(level: 1, reviewed: reviewed, falsePositives: falsePositives), Now);

        Criterion(results, CriterionCodes.FalsePositiveRate).Passed.ShouldBe(passed);
    }

    [Fact]
    public void Evaluate_NothingReviewed_PassesTheFalsePositiveRateAndSaysSo()
    {
        var results = PromotionCriteria.Evaluate(ToLevel2, Record(level: 1), Now);

        var rate = Criterion(results, CriterionCodes.FalsePositiveRate);
        rate.Passed.ShouldBeTrue();
        rate.Measured.ShouldStartWith("none reviewed");
    }

    [Fact]
    public void Evaluate_LevelThreeWithoutEvidencePacks_FailsTheEvidenceCriterionAsNotAvailable()
    {
        var results = PromotionCriteria.Evaluate(ToLevel3, Record(level: 2, evidence: null), Now);

        var evidence = Criterion(results, CriterionCodes.Evidence);
        evidence.Passed.ShouldBeFalse();
        evidence.Measured.ShouldBe("not available");
        results.Select(c => c.Code).ShouldNotContain(CriterionCodes.DaysAtLevel);
    }

    [Fact]
    public void Evaluate_LevelThreeWithOverdueAttestation_FailsTheAttestationCriterion()
    {
        var results = PromotionCriteria.Evaluate(ToLevel3, Record(level: 2, attested: false), Now);

        Criterion(results, CriterionCodes.Attestation).Passed.ShouldBeFalse();
        Criterion(results, CriterionCodes.Evidence).Passed.ShouldBeTrue();
    }
}
