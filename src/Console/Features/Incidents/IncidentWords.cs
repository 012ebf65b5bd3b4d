using System.Globalization;

namespace Warden.Features.Incidents;

internal static class IncidentWords
{
    /// <summary>The incident's type as people say it (the enum name stays in the audit data).</summary>
    public static string Type(Warden.Domain.Incidents.IncidentType type) => type switch
    {
        Warden.Domain.Incidents.IncidentType.BreakerAnomaly => "Anomaly breaker",
        Warden.Domain.Incidents.IncidentType.BreakerViolations => "Violation breaker",
        Warden.Domain.Incidents.IncidentType.BreakerBudget => "Budget breaker",
        Warden.Domain.Incidents.IncidentType.ManualKill => "Stopped by hand",
        Warden.Domain.Incidents.IncidentType.GlobalKill => "Global kill switch",
        Warden.Domain.Incidents.IncidentType.Injection => "Prompt injection",
        Warden.Domain.Incidents.IncidentType.DataExfiltration => "Data exfiltration",
        Warden.Domain.Incidents.IncidentType.CredentialCompromise => "Credential compromise",
        _ => type.ToString(),
    };

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
