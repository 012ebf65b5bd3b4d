using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Events;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Containment;


/// <summary>Who trips or releases, as the audit log records them.</summary>
public sealed record ContainmentActor(TripSource Source, string? Id, string? Email, string Name)
{
    // Breakers and automation clients are recorded by name ("breaker:violation-burst", "automation:SOAR").
    public AuditActor Audit => Source == TripSource.Person || Source == TripSource.Drill
        ? AuditActor.Person(Id ?? string.Empty, Email ?? Name)
        : new AuditActor(AuditActorKind.System, Id, Name);
}

/// <summary>What a drill measured.</summary>
public sealed record DrillResult(string ContainmentId, TimeSpan? TimeToRevocation, TimeSpan? TimeToFirstRefusal);

/// <summary>What a trip did and how fast, for the caller and the panel.</summary>
public sealed record TripResult(string ContainmentId, int AgentsContained, int ApprovalsCancelled, int GrantsInvalidated, TimeSpan? TimeToRevocation);

/// <summary>
/// Trips without access checks of its own (callers check). A trip commits the containment, the
/// agents' new status, the invalidation of their unused grants and its audit event in one
/// transaction; then, before returning, swaps the in-memory set, refuses the agents' tokens and tells
/// what follows a trip (<see cref="AgentsContained"/>: pending approvals cancelled, a breaker's agent
/// demoted).
/// </summary>
public sealed class ContainmentEngine(
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    ContainmentRegistry registry,
    AgentTokenGate tokens,
    IUnusedGrants unusedGrants,
    EventPublisher events,
    ContainmentTurns turns,
    TimeProvider clock,
    ILogger<ContainmentEngine> logger)
{
    public async Task<Result<TripResult>> TripAsync(ContainmentScope scope, string? target, string? reason, ContainmentActor by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var tripped = await TripInTurnAsync(scope, target, reason, by, cancellationToken);
        if (tripped.IsFailure)
            return tripped.Error;
        // In force and committed: what follows is settled before the trip is reported, whatever the caller does.
        var (result, contained) = tripped.Value;
        await events.PublishAsync(contained, CancellationToken.None);
        return result with { ApprovalsCancelled = contained.ApprovalsCancelled };
    }

    private async Task<Result<(TripResult, AgentsContained)>> TripInTurnAsync(ContainmentScope scope, string? target, string? reason, ContainmentActor by, CancellationToken cancellationToken)
    {
        using var turn = await turns.TakeAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TripOnceAsync(scope, target?.Trim() ?? string.Empty, reason, by, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < ContainmentTurns.MaxAttempts)
            {
                // An agent changed under the trip (an edit, a suspension): read again and trip again.
            }
        }
    }

    /// <summary>Writes the refusals noted since the last flush (first, last, count) onto their containments.</summary>
    public async Task FlushRefusalsAsync(CancellationToken cancellationToken)
    {
        var refusals = registry.TakeRefusals();
        if (refusals.Count == 0)
            return;
        await using var db = contexts.CreateDbContext();
        var ids = refusals.Select(r => r.Key).ToList();
        var containments = await db.Containments.Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        foreach (var containment in containments)
            containment.Refused(refusals.First(r => r.Key == containment.Id).Value);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Result<(TripResult, AgentsContained)>> TripOnceAsync(ContainmentScope scope, string target, string? reason, ContainmentActor by, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var label = await ContainmentTargets.LabelAsync(db, scope, target, cancellationToken);
        if (label is null)
            return ContainmentErrors.UnknownTarget(target);
        var now = clock.GetUtcNow();
        var tripped = Trip.Trip(ContainmentTargets.NewId(now), scope, target, label, reason, by.Source, by.Id, by.Email, by.Name, now);
        if (tripped.IsFailure)
            return tripped.Error;
        var containment = tripped.Value;
        if (registry.Current.All.Any(c => c.Scope == scope && c.Target == containment.Target))
            return ContainmentErrors.AlreadyContained;

        var agents = await ContainmentTargets.CoveredAgentsAsync(db, containment, cancellationToken);
        // The agent page shows "Contained: <reason>"; the status already says what happened.
        foreach (var agent in agents)
            agent.Contain(containment.Reason, now);
        var agentIds = agents.Select(a => a.Id.Value).ToList();
        var grants = await unusedGrants.VoidAsync(db, scope, agentIds, now, cancellationToken);
        // Tokens minted up to now stay refused after a restart and after the release, not only in memory.
        var credentials = await db.Set<AgentCredential>().Where(c => agentIds.Contains(c.AgentId)).ToListAsync(cancellationToken);
        foreach (var credential in credentials)
            credential.TokensValidAfter = credential.TokensValidAfter is { } after && after > now ? after : now;
        db.Containments.Add(containment);
        // From the commit on, a caller that gives up (a closed tab, a tool's timeout) must not stop the trip half-way.
        cancellationToken = CancellationToken.None;
        // In force before its event is chained: any decision the audit writer records after the trip
        // is checked against it (see ContainmentRegistry.StillHolds). A trip that fails to commit is undone.
        registry.Add(containment, agentIds);
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(by.Audit, "containment.tripped", containment.Id, new
            {
                containment = containment.Id,
                scope = scope.ToString().ToLowerInvariant(),
                target = containment.Target,
                label = containment.TargetLabel,
                reason = containment.Reason,
                source = by.Source.ToString().ToLowerInvariant(),
                agents = agentIds,
                grantsInvalidated = grants,
            })], cancellationToken);
        }
        catch
        {
            registry.Remove(containment.Id, agentIds);
            throw;
        }

        // Committed. From here on nothing may fail the trip: the memory follows the database.
        var committed = clock.GetUtcNow();
        foreach (var agentId in agentIds)
            tokens.StatusChanged(agentId, AgentStatus.Contained, committed);
        var revoked = clock.GetUtcNow();
        containment.Committed(committed, agentIds.Count);
        containment.CredentialsRevoked(revoked);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The containment stands; only its time-to-revocation figure is lost.
            ContainmentLog.AfterTripFailed(logger, ex, containment.Id);
        }
        var result = new TripResult(containment.Id, agentIds.Count, 0, grants.Count, containment.TimeToRevocation);
        return (result, new AgentsContained(containment.Id, scope, containment.Reason, by.Source, by.Name, agentIds));
    }
}
