using Warden.Domain.Autonomy;

namespace Warden.Tests.Domain.Autonomy;

/// <summary>The criteria for level 2 that read the level-1 track record and the tools' compensating actions.</summary>
public sealed class ReviewCriteriaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly LevelCriteria ToLevel2 = LevelCriteria.Defaults[1];

    private static TrackRecord Record(int awaiting = 0, int reviewed = 0, int rejected = 0, int writeTools = 2, int? compensable = 1) =>
        new(1, Now.AddDays(-400), Now.AddDays(-400), 1000, 0, 0, true, true, awaiting, reviewed, rejected, writeTools, compensable);

    private static CriterionResult Criterion(TrackRecord record, string code) =>
        PromotionCriteria.Evaluate(ToLevel2, record, Now).Single(c => c.Code == code);

    [Fact]
    public void Evaluate_ForLevelTwo_ListsTheReviewAndCompensationCriteria()
    {
        var codes = PromotionCriteria.Evaluate(ToLevel2, Record(), Now).Select(c => c.Code);

        codes.ShouldContain(CriterionCodes.AwaitingReview);
        codes.ShouldContain(CriterionCodes.RejectionRate);
        codes.ShouldContain(CriterionCodes.CompensableTools);
    }

    [Fact]
    public void Evaluate_ForLevelsOneAndThree_LeavesThemOut()
    {
        var codes = LevelCriteria.Defaults.Where(c => c.TargetLevel != 2)
            .SelectMany(c => PromotionCriteria.Evaluate(c, Record(), Now)).Select(c => c.Code).ToList();

        codes.ShouldNotContain(CriterionCodes.AwaitingReview);
        codes.ShouldNotContain(CriterionCodes.CompensableTools);
    }

    [Fact]
    public void Evaluate_WithActionsStillAwaitingReview_FailsAndSaysHowMany()
    {
        var result = Criterion(Record(awaiting: 3), CriterionCodes.AwaitingReview);

        result.Passed.ShouldBeFalse();
        result.Measured.ShouldBe("3");
        result.Missing.ShouldBe("3 more actions reviewed");
    }

    [Theory]
    [InlineData(0, 0, true, "none reviewed (0 %)")]
    [InlineData(100, 4, true, "4 % (4 of 100)")]
    [InlineData(100, 5, false, "5 % (5 of 100)")]
    public void Evaluate_RejectionRate_PassesBelowFivePercent(int reviewed, int rejected, bool passed, string measured)
    {
        var result = Criterion(Record(reviewed: reviewed, rejected: rejected), CriterionCodes.RejectionRate);

        result.Passed.ShouldBe(passed);
        result.Measured.ShouldBe(measured);
    }

    [Theory]
    [InlineData(0, false, "0 of 2")]
    [InlineData(1, true, "1 of 2")]
    public void Evaluate_CompensableWriteTools_NeedsAtLeastOne(int compensable, bool passed, string measured)
    {
        var result = Criterion(Record(compensable: compensable), CriterionCodes.CompensableTools);

        result.Passed.ShouldBe(passed);
        result.Measured.ShouldBe(measured);
    }

    [Fact]
    public void Evaluate_WhenCompensationCouldNotBeRead_Fails()
    {
        var result = Criterion(Record(compensable: null), CriterionCodes.CompensableTools);

        result.Passed.ShouldBeFalse();
        result.Measured.ShouldBe("could not be read");
    }
}
