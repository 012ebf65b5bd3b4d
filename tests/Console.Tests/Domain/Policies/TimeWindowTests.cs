using Warden.Domain.Policies;

namespace Warden.Tests.Domain.Policies;

public sealed class TimeWindowTests
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    [Theory]
    [InlineData("2026-11-25T08:30:00+00:00", true)] // 09:30 in Berlin
    [InlineData("2026-11-25T07:30:00+00:00", false)] // 08:30 in Berlin
    [InlineData("2026-11-25T16:59:00+00:00", true)] // 17:59 in Berlin
    [InlineData("2026-11-25T17:00:00+00:00", false)] // 18:00 in Berlin: the end is exclusive
    [InlineData("2026-11-28T10:00:00+00:00", false)] // Saturday
    public void Contains_OfficeHoursInBerlin_ConvertsTheInstantToBerlinTime(string instant, bool expected)
    {
        var window = TimeWindow.Create(Weekdays, new TimeOnly(9, 0), new TimeOnly(18, 0), "Europe/Berlin").Value;

        var contains = window.Contains(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

        contains.ShouldBe(expected);
    }

    [Fact]
    public void Contains_SameInstantInTwoZones_DependsOnTheZone()
    {
        var instant = new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);
        var tokyo = TimeWindow.Create(Weekdays, new TimeOnly(9, 0), new TimeOnly(18, 0), "Asia/Tokyo").Value;
        var newYork = TimeWindow.Create(Weekdays, new TimeOnly(9, 0), new TimeOnly(18, 0), "America/New_York").Value;

        var inTokyo = tokyo.Contains(instant);
        var inNewYork = newYork.Contains(instant);

        inTokyo.ShouldBeFalse(); // midnight in Tokyo
        inNewYork.ShouldBeTrue(); // 10:00 in New York
    }

    [Theory]
    [InlineData("2026-11-27T22:00:00+00:00", true)] // Friday night
    [InlineData("2026-11-28T06:00:00+00:00", true)] // Saturday morning, after Friday night
    [InlineData("2026-11-28T08:00:00+00:00", false)]
    [InlineData("2026-11-30T06:00:00+00:00", false)] // Monday morning follows Sunday, not a listed day
    public void Contains_OvernightWindow_RunsIntoTheNextMorning(string instant, bool expected)
    {
        var window = TimeWindow.Create(Weekdays, new TimeOnly(19, 0), new TimeOnly(7, 0), "UTC").Value;

        var contains = window.Contains(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

        contains.ShouldBe(expected);
    }

    [Fact]
    public void Contains_WhenStartEqualsEnd_CoversTheWholeDay()
    {
        var window = TimeWindow.Create([DayOfWeek.Saturday], new TimeOnly(0, 0), new TimeOnly(0, 0), "UTC").Value;

        var contains = window.Contains(new DateTimeOffset(2026, 11, 28, 23, 59, 0, TimeSpan.Zero));

        contains.ShouldBeTrue();
    }

    [Fact]
    public void Create_WithUnknownZone_FailsNamingTheZone()
    {
        var result = TimeWindow.Create([], new TimeOnly(9, 0), new TimeOnly(17, 0), "Mars/Olympus");

        result.Error.Code.ShouldBe("policy.unknown_time_zone");
        result.Error.Message.ShouldContain("Mars/Olympus");
    }
}
