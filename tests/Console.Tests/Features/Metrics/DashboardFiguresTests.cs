using Warden.Domain.Metrics;
using Warden.Features.Metrics;

namespace Warden.Tests.Features.Metrics;

public sealed class DashboardFiguresTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 7, 6, 0, TimeSpan.Zero);
    private static readonly MetricPeriod Week = MetricPeriod.Ending(Now, TimeSpan.FromDays(7));

    [Fact]
    public void UnsafeSpacing_WithNoUnsafeAttempt_SaysSoInsteadOfADuration()
    {
        var figures = Figures(currentUnsafe: 0, previousUnsafe: 0);

        MetricFormat.UnsafeSpacing(figures).ShouldBe("no unsafe attempt");
        MetricFormat.Trend(MetricFormat.UnsafeSpacingValue(figures), MetricFormat.Duration).ShouldBeNull();
    }

    [Fact]
    public void UnsafeSpacing_WithOneUnsafeAttempt_SaysSoInsteadOfThePeriodsLength()
    {
        var figures = Figures(currentUnsafe: 1, previousUnsafe: 1);

        MetricFormat.UnsafeSpacing(figures).ShouldBe("1 unsafe attempt");
        MetricFormat.Trend(MetricFormat.UnsafeSpacingValue(figures), MetricFormat.Duration).ShouldBeNull();
    }

    [Fact]
    public void UnsafeSpacing_WithFourUnsafeAttempts_IsThePeriodSharedBetweenThem()
    {
        var figures = Figures(currentUnsafe: 4, previousUnsafe: 2);

        MetricFormat.UnsafeSpacing(figures).ShouldBe("42 h");
        MetricFormat.Trend(MetricFormat.UnsafeSpacingValue(figures), MetricFormat.Duration).ShouldBe("▼ from 3.5 d");
        MetricFormat.Better(MetricFormat.UnsafeSpacingValue(figures), higherIsBetter: true).ShouldBe(false);
    }

    [Fact]
    public void Better_ForAChangeFromZero_IsNeutral()
    {
        MetricFormat.Better(new MetricValue(3, 0), higherIsBetter: false).ShouldBeNull();
        MetricFormat.Trend(new MetricValue(3, 0), MetricFormat.Count).ShouldBe("▲ from 0");
    }

    [Fact]
    public void Better_ForARiseFromANonZeroFigure_IsBad()
    {
        MetricFormat.Better(new MetricValue(3, 1), higherIsBetter: false).ShouldBe(false);
    }

    [Fact]
    public void Buckets_ForAWeek_AreCalendarDaysSoTodaysAttemptFallsOnToday()
    {
        var history = History([Now.AddMinutes(-2)], currentUnsafe: 1, previousUnsafe: 0);

        var buckets = GovernanceHistoryReader.Buckets(history, MetricScope.Overall, Week);

        buckets[0].Start.ShouldBe(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        buckets[^1].Start.ShouldBe(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));
        buckets[^1].UnsafeAttempts.ShouldBe(1);
        buckets.Sum(b => b.UnsafeAttempts).ShouldBe(1);
    }

    [Fact]
    public void Buckets_ForADay_AreWholeHoursSoAnAttemptFallsInItsHour()
    {
        var day = MetricPeriod.Ending(Now, TimeSpan.FromDays(1));
        var history = History([new DateTimeOffset(2026, 12, 6, 6, 59, 0, TimeSpan.Zero)], currentUnsafe: 1, previousUnsafe: 0);

        var buckets = GovernanceHistoryReader.Buckets(history, MetricScope.Overall, day);

        buckets[0].Start.ShouldBe(new DateTimeOffset(2026, 12, 5, 7, 0, 0, TimeSpan.Zero));
        buckets.Single(b => b.UnsafeAttempts == 1).Start.ShouldBe(new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero));
    }

    private static GovernanceFigures Figures(int currentUnsafe, int previousUnsafe) =>
        GovernanceCalculator.Compute(History([], currentUnsafe, previousUnsafe), MetricScope.Overall, Week);

    private static GovernanceHistory History(IReadOnlyList<DateTimeOffset> attempts, int currentUnsafe, int previousUnsafe) =>
        new(
            new Dictionary<string, string> { ["agt_1"] = "owner-1" },
            [new DecisionTally("agt_1", true, 10, 0, currentUnsafe), new DecisionTally("agt_1", false, 10, 0, previousUnsafe)],
            [.. attempts.Select(at => new UnsafeAttempt("agt_1", at))],
            [], [], [], []);
}
