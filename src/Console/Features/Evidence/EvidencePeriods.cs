using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Warden.Features.Evidence;

/// <summary>Which period a run covers, and the spec (id, key, title) that makes a pack for it unique.</summary>
public static class EvidencePeriods
{
    /// <summary>The last whole period before <paramref name="now"/> in the definition's time zone.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) LastCompleted(EvidencePeriodKind kind, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var (start, end) = kind switch
        {
            EvidencePeriodKind.Weekly => (Monday(today).AddDays(-7), Monday(today)),
            EvidencePeriodKind.Monthly => (new DateTime(today.Year, today.Month, 1).AddMonths(-1), new DateTime(today.Year, today.Month, 1)),
            EvidencePeriodKind.Quarterly => (QuarterStart(today).AddMonths(-3), QuarterStart(today)),
            _ => (today.AddDays(-1), today),
        };
        return (At(start, zone), At(end, zone));
    }

    public static EvidencePackSpec Spec(string? definitionId, string title, EvidenceScope scope, string? target,
        DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string> recipients, DateTimeOffset now, string? framework = null)
    {
        var key = string.Create(CultureInfo.InvariantCulture,
            $"{definitionId ?? "on-demand"}|{scope}|{target}|{start.UtcTicks}|{end.UtcTicks}{(framework is null ? string.Empty : "|" + framework)}");
        var id = EvidencePack.IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];
        var fullTitle = $"{title}: {EvidenceText.Day(start)} to {EvidenceText.Day(end.AddTicks(-1))}";
        return new EvidencePackSpec(id, key, definitionId, fullTitle, scope, target, start, end, recipients, now) { Framework = framework };
    }

    private static DateTime Monday(DateTime day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static DateTime QuarterStart(DateTime day) => new(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);

    private static DateTimeOffset At(DateTime local, TimeZoneInfo zone) =>
        new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local)).ToUniversalTime();
}
