namespace Warden.Domain.Policies;

/// <summary>
/// Days of the week and a time of day in a named zone. A window whose end is before its start runs
/// over midnight: Monday 18:00–08:00 covers Monday evening and Tuesday morning.
/// </summary>
public sealed record TimeWindow
{
    private readonly bool[] _days;

    private TimeWindow(IReadOnlyList<DayOfWeek> days, TimeOnly start, TimeOnly end, TimeZoneInfo zone)
    {
        Days = days;
        Start = start;
        End = end;
        Zone = zone;
        _days = new bool[7];
        foreach (var day in days.Count == 0 ? Enum.GetValues<DayOfWeek>() : days)
            _days[(int)day] = true;
    }

    public IReadOnlyList<DayOfWeek> Days { get; }
    public TimeOnly Start { get; }
    public TimeOnly End { get; }
    public TimeZoneInfo Zone { get; }

    public static Result<TimeWindow> Create(IReadOnlyList<DayOfWeek> days, TimeOnly start, TimeOnly end, string zoneId)
    {
        try
        {
            return new TimeWindow(days, start, end, TimeZoneInfo.FindSystemTimeZoneById(zoneId));
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return PolicyErrors.UnknownTimeZone(zoneId);
        }
    }

    public bool Contains(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        var day = (int)local.DayOfWeek;
        if (Start < End)
            return _days[day] && time >= Start && time < End;
        if (Start == End)
            return _days[day];
        var yesterday = (day + 6) % 7;
        return (_days[day] && time >= Start) || (_days[yesterday] && time < End);
    }

    public bool Equals(TimeWindow? other) =>
        other is not null && Start == other.Start && End == other.End && Zone.Id == other.Zone.Id && _days.AsSpan().SequenceEqual(other._days);

    public override int GetHashCode() => HashCode.Combine(Start, End, Zone.Id);
}
