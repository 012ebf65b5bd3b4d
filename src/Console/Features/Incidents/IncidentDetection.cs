using Microsoft.EntityFrameworkCore;
using Warden.Domain.Incidents;
using Warden.Persistence;

namespace Warden.Features.Incidents;

/// <summary>Looks back from a trip for the first anomaly or violation of the agents it stopped.</summary>
internal static class IncidentDetection
{
    public static async Task<Detection?> FirstAsync(WardenDbContext db, IReadOnlyList<string> agentIds, DateTimeOffset trippedAt, TimeSpan window, CancellationToken cancellationToken)
    {
        if (agentIds.Count == 0)
            return null;
        var from = trippedAt - window;
        var anomaly = await db.AnomalyAlerts.AsNoTracking()
            .Where(a => agentIds.Contains(a.AgentId) && a.DetectedAt >= from && a.DetectedAt <= trippedAt)
            .OrderBy(a => a.DetectedAt).Select(a => new { a.Id, a.DetectedAt, a.AgentId, a.Kind, a.Score, a.Explanation }).FirstOrDefaultAsync(cancellationToken);
        var violation = await db.Decisions.AsNoTracking()
            .Where(d => agentIds.Contains(d.AgentId) && d.IsViolation && d.DecidedAt >= from && d.DecidedAt <= trippedAt)
            .OrderBy(d => d.DecidedAt).Select(d => new { d.Id, d.DecidedAt, d.AgentId, d.Tool, d.Operation, d.ViolationSeverity }).FirstOrDefaultAsync(cancellationToken);
        Detection? first = null;
        if (anomaly is not null)
            first = new Detection(anomaly.DetectedAt, "anomaly", anomaly.Id, $"{anomaly.AgentId}: {anomaly.Kind} (score {anomaly.Score}) {anomaly.Explanation}");
        if (violation is not null && (first is null || violation.DecidedAt < first.At))
            first = new Detection(violation.DecidedAt, "violation", violation.Id,
                $"{violation.AgentId}: {violation.ViolationSeverity?.ToString().ToLowerInvariant() ?? "a"} violation on {violation.Tool} ({violation.Operation})");
        return first;
    }
}
