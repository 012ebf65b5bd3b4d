using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.Behaviour;
using Warden.Features.Agents;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Behaviour;

public sealed record AnomalyAlertRow(
    string Id, string AgentId, string AgentName, string DecisionId, DateTimeOffset DetectedAt, AnomalyKind Kind, int Score,
    string Explanation, ViolationSeverity Severity, bool BeforeExecution, string? ContainmentId);

/// <summary>An agent's baseline (null until its first decision reaches it) and its latest alerts.</summary>
public sealed record AgentBehaviour(BaselineSummary? Baseline, IReadOnlyList<AnomalyAlertRow> Alerts);

/// <summary>Baselines and anomaly alerts as people read them: officers, auditors and administrators all; owners their own agents.</summary>
public sealed class BehaviourService(AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, BehaviourMonitor monitor)
{
    public const int MaxAlerts = 100;

    public async Task<Result<IReadOnlyList<AnomalyAlertRow>>> GetAlertsAsync(int take = 20, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(AgentAccess.Readers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var alerts = db.AnomalyAlerts.AsNoTracking();
        if (!AgentAccess.SeesAll(actor))
        {
            var own = await db.Agents.AsNoTracking().Where(a => a.OwnerId == actor.Id || a.BackupOwnerId == actor.Id).Select(a => a.Id).ToListAsync(ct);
            var ids = own.Select(i => i.Value).ToList();
            alerts = alerts.Where(a => ids.Contains(a.AgentId));
        }
        var rows = await alerts.OrderByDescending(a => a.DetectedAt).Take(Math.Clamp(take, 1, MaxAlerts)).ToListAsync(ct);
        return Result.Success(await RowsAsync(db, rows, ct));
    }

    public async Task<Result<AgentBehaviour>> GetAgentBehaviourAsync(string agentId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(AgentAccess.Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var agent = await AgentAccess.FindVisibleAsync(db, access.Value, agentId, ct);
        if (agent.IsFailure)
            return agent.Error;
        var alerts = await db.AnomalyAlerts.AsNoTracking().Where(a => a.AgentId == agentId)
            .OrderByDescending(a => a.DetectedAt).Take(20).ToListAsync(ct);
        return new AgentBehaviour(monitor.Summary(agentId), await RowsAsync(db, alerts, ct));
    }

    private static async Task<IReadOnlyList<AnomalyAlertRow>> RowsAsync(WardenDbContext db, List<AnomalyAlert> alerts, CancellationToken ct)
    {
        var ids = alerts.Select(a => a.AgentId).Distinct(StringComparer.Ordinal)
            .Select(i => AgentId.TryParse(i, out var id) ? id : (AgentId?)null).OfType<AgentId>().ToList();
        var names = (await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            .ToDictionary(a => a.Id.Value, a => a.Name, StringComparer.Ordinal);
        return alerts.Select(a => new AnomalyAlertRow(a.Id, a.AgentId, names.GetValueOrDefault(a.AgentId, a.AgentId), a.DecisionId, a.DetectedAt,
            a.Kind, a.Score, a.Explanation, a.Severity, a.BeforeExecution, a.ContainmentId)).ToList();
    }
}
