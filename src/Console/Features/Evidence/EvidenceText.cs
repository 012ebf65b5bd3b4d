using System.Globalization;

namespace Warden.Features.Evidence;

/// <summary>How values read in a pack: UTC times to the second, durations in their natural unit.</summary>
internal static class EvidenceText
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "—";

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalMilliseconds: < 1000 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalMilliseconds:0} ms"),
        { TotalSeconds: < 120 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:0.#} s"),
        { TotalMinutes: < 120 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalMinutes:0.#} min"),
        { TotalHours: < 72 } s => string.Create(CultureInfo.InvariantCulture, $"{s.TotalHours:0.#} h"),
        var s => string.Create(CultureInfo.InvariantCulture, $"{s.Value.TotalDays:0.#} days"),
    };

    public static TimeSpan? Median(List<TimeSpan> spans)
    {
        if (spans.Count == 0)
            return null;
        spans.Sort();
        return spans[spans.Count / 2];
    }

    public static string NotAvailable(string what) => $"Not available in this version: {what}";
}
