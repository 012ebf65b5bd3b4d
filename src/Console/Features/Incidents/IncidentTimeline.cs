using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Incidents;
using Warden.Domain.Rollback;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Incidents;

/// <summary>
/// An incident's story in time order, from the tables and the audit log: the first anomaly or violation,
/// the trip, the refusals while contained (counted, first and last), the release, the rollbacks of the
/// agent's actions, and what people did with the incident.
/// </summary>
internal static class IncidentTimeline
{
    private const int MaxAuditEvents = 200;

    public static async Task<IReadOnlyList<TimelineEntry>> BuildAsync(WardenDbContext db, Incident incident, Trip? trip, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        if (incident.DetectedAt is { } detected)
            entries.Add(new(detected, "detection", incident.DetectionKind == "anomaly" ? "First anomaly" : "First violation",
                $"{incident.DetectionReference} · {incident.DetectionSummary}"));
        entries.Add(new(incident.TrippedAt, "trip", "Tripped", $"{incident.TargetLabel} by {incident.TrippedBy}{(trip is null ? string.Empty : $": {trip.Reason}")}"));
        if (trip is not null)
            AddContainment(entries, trip);
        if (incident.AgentId is { } agentId)
            await AddRollbacksAsync(db, entries, agentId, incident.DetectedAt ?? incident.TrippedAt, trip?.ReleasedAt, cancellationToken);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == incident.Id).OrderBy(e => e.Sequence)
            .Take(MaxAuditEvents).Select(e => new { e.At, e.Kind, e.ActorName, e.Data }).ToListAsync(cancellationToken);
        foreach (var e in events)
            entries.Add(new(e.At, e.Kind, Words(e.Kind), Change(e.Data) is { } change ? $"{change} (by {e.ActorName})" : $"by {e.ActorName}"));
        return [.. entries.OrderBy(e => e.At)];
    }

    private static void AddContainment(List<TimelineEntry> entries, Trip trip)
    {
        if (trip.RefusalCount > 0 && trip.FirstRefusedAt is { } first)
        {
            var refused = trip.RefusalCount == 1 ? "1 request refused while contained"
                : $"{trip.RefusalCount.ToString(CultureInfo.InvariantCulture)} requests refused while contained";
            entries.Add(new(first, "refusal", "First request refused", refused));
            if (trip.LastRefusedAt is { } last && last > first)
                entries.Add(new(last, "refusal", "Last request refused", refused));
        }
        else if (trip.FirstRefusedAt is { } only)
        {
            entries.Add(new(only, "refusal", "First request refused", "the agent's next request was refused"));
        }
        if (trip.ReleasedAt is { } released)
            entries.Add(new(released, "release", "Released",
                $"{string.Join(" and ", trip.ReleaseApprovals.Select(a => a.OfficerName))}: {trip.ReleaseReason}"));
    }

    private static async Task AddRollbacksAsync(WardenDbContext db, List<TimelineEntry> entries, string agentId, DateTimeOffset from, DateTimeOffset? releasedAt,
        CancellationToken cancellationToken)
    {
        // Rollbacks asked while the incident ran, and for a day after the release.
        var until = (releasedAt ?? DateTimeOffset.MaxValue.AddDays(-2)).AddDays(1);
        var rollbacks = await db.Rollbacks.AsNoTracking().Where(r => r.AgentId == agentId && r.RequestedAt >= from && r.RequestedAt <= until)
            .OrderBy(r => r.RequestedAt).Take(50).ToListAsync(cancellationToken);
        foreach (var r in rollbacks)
            entries.Add(new(r.FinishedAt ?? r.RequestedAt, "rollback", $"Rollback {r.State.ToString().ToLowerInvariant()}",
                $"{r.Tool} (decision {r.DecisionId}) asked by {r.RequestedByName}"));
    }

    private static string? Change(string data)
    {
        using var json = System.Text.Json.JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty("change", out var change) ? change.GetString() : null;
    }

    private static string Words(string kind) => kind switch
    {
        "incident.opened" => "Incident opened",
        "incident.updated" => "Incident updated",
        "incident.closed" => "Incident closed with a review",
        _ => kind,
    };
}
