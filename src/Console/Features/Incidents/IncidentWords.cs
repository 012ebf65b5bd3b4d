using System.Globalization;

namespace Warden.Features.Incidents;

internal static class IncidentWords
{
    public static string Span(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalSeconds: < 1 } s => $"{s.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        { TotalMinutes: < 2 } s => $"{s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
        { TotalHours: < 2 } s => $"{s.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min",
        { } s => $"{s.TotalHours.ToString("0.0", CultureInfo.InvariantCulture)} h",
    };

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture) : "—";
}
