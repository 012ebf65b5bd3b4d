using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Notifications;
using Warden.Persistence;

namespace Warden.Features.Autonomy;

/// <summary>
/// Lowers an agent's autonomy the moment it earns it: a critical violation (before the decision's
/// answer leaves, so the very next request sees the new level), a circuit-breaker trip, or an
/// attestation overdue beyond the enforcement limit. The change,
/// its audit event, the withdrawal of any open promotion and the owner's notification commit together.
/// </summary>
public sealed class AutomaticDemotion(
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    Notifier notifier,
    IOptions<AutonomyOptions> options,
    TimeProvider clock,
    ILogger<AutomaticDemotion> logger)
{
    private const int Attempts = 5;
    private SeverityTable? _table;

    public SeverityTable Severities => _table ??= options.Value.BuildSeverityTable();

    public Task<int?> OnCriticalViolationAsync(string agentId, string decisionId, string code, CancellationToken ct) =>
        DemoteAsync(agentId, options.Value.OnCriticalViolation, $"critical violation ({code}) in decision {decisionId}", "critical_violation", ct);

    public Task<int?> OnBreakerTripAsync(string agentId, string breakerId, CancellationToken ct) =>
        DemoteAsync(agentId, options.Value.OnBreakerTrip, $"circuit breaker tripped ({breakerId})", "breaker_trip", ct);

    public Task<int?> OnAttestationOverdueAsync(string agentId, int graceDays, CancellationToken ct) =>
        DemoteAsync(agentId, options.Value.OnAttestationOverdue, $"owner attestation overdue by more than {graceDays} days", "attestation_overdue", ct);

    /// <summary>Returns the new level, or null when nothing changed (no step configured, already at 0, retired, unknown agent, or a failure that is logged).</summary>
    public async Task<int?> DemoteAsync(string agentId, DemotionStep step, string reason, string cause, CancellationToken ct)
    {
        if (step == DemotionStep.None || !AgentId.TryParse(agentId, out var id))
            return null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                return await TryDemoteAsync(id, step, reason, cause, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // The agent or its open promotion changed meanwhile: read again and retry.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                AutonomyLog.DemotionFailed(logger, ex, agentId, reason);
                return null;
            }
        }
        return null;
    }

    private async Task<int?> TryDemoteAsync(AgentId id, DemotionStep step, string reason, string cause, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (agent is null || agent.AutonomyLevel == 0)
            return null;
        var before = AgentSnapshot.Of(agent);
        var from = agent.AutonomyLevel;
        var to = step == DemotionStep.ToZero ? 0 : from - 1;
        var now = clock.GetUtcNow();
        if (agent.ChangeAutonomyLevel(to, now).IsFailure)
            return null;
        var text = $"Demoted from level {from} to {to}: {reason}.";
        db.AgentChanges.Add(AgentRegistryService.ChangeRecord(agent, null, AutonomyChanges.Demoted, text, before, now));
        var open = await db.PromotionRequests.SingleOrDefaultAsync(r => r.AgentId == id && r.State == PromotionState.Open, ct);
        if (open is not null && open.Withdraw($"The agent was demoted: {reason}.", now))
            db.Entry(open).Property<int>("Version").CurrentValue++;
        var notification = notifier.Queue(db, "autonomy.demoted", agent.Id.Value, new
        {
            agent = agent.Id.Value,
            agentName = agent.Name,
            owner = agent.OwnerId.Value,
            fromLevel = from,
            toLevel = to,
            cause,
            reason,
            link = notifier.Link($"/agents/{agent.Id.Value}"),
        }, now);
        var entries = AgentChangeAudit.PendingIn(db).ToList();
        if (open is { State: PromotionState.Withdrawn })
            entries.Add(PromotionAudit.Entry(null, "autonomy.promotion_withdrawn", open));
        await audit.AppendAsync(db, entries, ct);
        notifier.Dispatch([notification]);
        AutonomyLog.Demoted(logger, agent.Id.Value, from, to, reason);
        return to;
    }

    /// <summary>The severity a decision's violation gets, from the configured table.</summary>
    public ViolationSeverity? Classify(Decision decision, IEnumerable<string> findingKinds) => Severities.Classify(decision, findingKinds);
}

internal static partial class AutonomyLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} was demoted from level {From} to {To}: {Reason}")]
    public static partial void Demoted(ILogger logger, string agentId, int from, int to, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent {AgentId} could not be demoted ({Reason}).")]
    public static partial void DemotionFailed(ILogger logger, Exception exception, string agentId, string reason);
}
