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
/// Trips and releases without access checks of their own (callers check). A trip commits the
/// containment, the agents' new status, the invalidation of their unused grants and its audit event
/// in one transaction; then, before returning, swaps the in-memory set, refuses the agents' tokens and
/// tells what follows a trip (<see cref="AgentsContained"/>: pending approvals cancelled, a breaker's
/// agent demoted). A release restores each agent only when nothing else contains it.
/// </summary>
public sealed class ContainmentEngine(
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    ContainmentRegistry registry,
    AgentTokenGate tokens,
    IUnusedGrants unusedGrants,
    EventPublisher events,
    TimeProvider clock,
    ILogger<ContainmentEngine> logger) : IDisposable
{
    private const int MaxAttempts = 5;
    private readonly SemaphoreSlim _serial = new(1, 1);

    public void Dispose() => _serial.Dispose();

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
        // Trips and releases take turns on this instance, so two of them never race over the same agents.
        await _serial.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await TripOnceAsync(scope, target?.Trim() ?? string.Empty, reason, by, cancellationToken);
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
                {
                    // An agent changed under the trip (an edit, a suspension): read again and trip again.
                }
            }
        }
        finally
        {
            _serial.Release();
        }
    }

    public async Task<Result<bool>> ApproveReleaseAsync(string containmentId, Voter officer, string? reason, CancellationToken cancellationToken)
    {
        await _serial.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await ReleaseOnceAsync(containmentId, officer, reason, cancellationToken);
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
                {
                }
            }
        }
        finally
        {
            _serial.Release();
        }
    }

    /// <summary>Writes the first refusals noted since the last flush onto their containments.</summary>
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
        var label = await LabelAsync(db, scope, target, cancellationToken);
        if (label is null)
            return ContainmentErrors.UnknownTarget(target);
        var now = clock.GetUtcNow();
        var tripped = Trip.Trip(NewId(now), scope, target, label, reason, by.Source, by.Id, by.Email, by.Name, now);
        if (tripped.IsFailure)
            return tripped.Error;
        var containment = tripped.Value;
        if (registry.Current.All.Any(c => c.Scope == scope && c.Target == containment.Target))
            return ContainmentErrors.AlreadyContained;

        var agents = await CoveredAgentsAsync(db, containment, cancellationToken);
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

        // Committed. From here on nothing may fail the trip: the memory follows the database.
        var committed = clock.GetUtcNow();
        registry.Add(containment, agentIds);
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

    private async Task<Result<bool>> ReleaseOnceAsync(string containmentId, Voter officer, string? reason, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var containment = await db.Containments.SingleOrDefaultAsync(c => c.Id == containmentId, cancellationToken);
        if (containment is null)
            return ContainmentErrors.NotFound;
        if (containment.IsActive && containment.Scope != ContainmentScope.Global
            && await OwnsCoveredAgentAsync(db, containment, officer, cancellationToken))
            return ContainmentErrors.OwnerCannotRelease;
        var now = clock.GetUtcNow();
        var approved = containment.ApproveRelease(officer, reason, now);
        if (approved.IsFailure)
            return approved.Error;
        db.Entry(containment).Property<int>("Version").CurrentValue++;
        var actor = AuditActor.Person(officer.Id.Value, officer.Email);
        if (!approved.Value)
        {
            await audit.AppendAsync(db, [AuditEntry.Of(actor, "containment.release_approved", containment.Id, new
            {
                containment = containment.Id,
                reason = reason?.Trim(),
                approvals = containment.ReleaseApprovals.Count,
                required = containment.ApprovalsToRelease,
            })], cancellationToken);
            return false;
        }

        await RestoreAsync(db, containment, actor, "containment.released", now, cancellationToken);
        return true;
    }

    /// <summary>
    /// A drill: trips one agent, waits (up to <paramref name="window"/>) for its next request to be
    /// refused, then ends itself, restoring the agent. The record keeps both time-to-contain figures.
    /// </summary>
    public async Task<Result<DrillResult>> DrillAsync(string agentId, ContainmentActor by, TimeSpan window, CancellationToken cancellationToken)
    {
        var trip = await TripAsync(ContainmentScope.Agent, agentId, "drill: measuring time-to-contain", by with { Source = TripSource.Drill }, cancellationToken);
        if (trip.IsFailure)
            return trip.Error;
        var deadline = clock.GetUtcNow() + window;
        TimeSpan? refusal = null;
        while (clock.GetUtcNow() < deadline && refusal is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
            await FlushRefusalsAsync(cancellationToken);
            await using var read = contexts.CreateDbContext();
            refusal = (await read.Containments.AsNoTracking().SingleAsync(c => c.Id == trip.Value.ContainmentId, cancellationToken)).TimeToFirstRefusal;
        }

        await _serial.WaitAsync(cancellationToken);
        try
        {
            await using var db = contexts.CreateDbContext();
            var containment = await db.Containments.SingleAsync(c => c.Id == trip.Value.ContainmentId, cancellationToken);
            var now = clock.GetUtcNow();
            var ended = containment.EndDrill(now);
            if (ended.IsFailure)
                return ended.Error;
            db.Entry(containment).Property<int>("Version").CurrentValue++;
            await RestoreAsync(db, containment, by.Audit, "containment.drill_finished", now, cancellationToken);
            return new DrillResult(containment.Id, trip.Value.TimeToRevocation, containment.TimeToFirstRefusal);
        }
        finally
        {
            _serial.Release();
        }
    }

    // Returns every agent this containment covered to its earlier status, unless another containment still covers it.
    private async Task RestoreAsync(WardenDbContext db, Trip containment, AuditActor actor, string kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var others = registry.Current.Without(containment.Id);
        var agents = await CoveredAgentsAsync(db, containment, cancellationToken);
        var restored = new List<Agent>();
        foreach (var agent in agents.Where(a => a.Status == AgentStatus.Contained))
        {
            if (others.Covering(agent.Id.Value, agent.OwnerId.Value, agent.Segment) is not null)
                continue;
            if (agent.ReleaseContainment(containment.ReleaseReason ?? "released", now).IsSuccess)
                restored.Add(agent);
        }
        await audit.AppendAsync(db, [AuditEntry.Of(actor, kind, containment.Id, new
        {
            containment = containment.Id,
            reason = containment.ReleaseReason,
            approvedBy = containment.ReleaseApprovals.Select(a => a.OfficerName).ToList(),
            agentsRestored = restored.Select(a => a.Id.Value).ToList(),
            containedFor = (now - containment.TrippedAt).ToString(),
            timeToRevocationMs = containment.TimeToRevocation?.TotalMilliseconds,
            timeToFirstRefusalMs = containment.TimeToFirstRefusal?.TotalMilliseconds,
        })], cancellationToken);

        registry.Remove(containment.Id, agents.Select(a => a.Id.Value));
        // Tokens minted before the trip stay refused: the agent must get new ones.
        foreach (var agent in restored)
            tokens.StatusChanged(agent.Id.Value, agent.Status, now);
    }

    // An officer who owns or backs up an agent this containment covers (under any of their accounts)
    // cannot release it; a global release is exempt, because it covers everyone and needs two officers.
    private static async Task<bool> OwnsCoveredAgentAsync(WardenDbContext db, Trip containment, Voter officer, CancellationToken cancellationToken)
    {
        var mailbox = Voter.Mailbox(officer.Email);
        var accounts = (await db.Users.AsNoTracking().Where(u => u.Email != null).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken))
            .Where(u => u.Id == officer.Id.Value || Voter.Mailbox(u.Email!) == mailbox)
            .Select(u => u.Id)
            .ToHashSet(StringComparer.Ordinal);
        accounts.Add(officer.Id.Value);
        if (containment.Scope == ContainmentScope.Owner && accounts.Contains(containment.Target))
            return true;
        var covered = await CoveredAgentsAsync(db, containment, cancellationToken);
        return covered.Any(a => accounts.Contains(a.OwnerId.Value) || (a.BackupOwnerId is { } backup && accounts.Contains(backup.Value)));
    }

    private static async Task<string?> LabelAsync(WardenDbContext db, ContainmentScope scope, string target, CancellationToken cancellationToken)
    {
        switch (scope)
        {
            case ContainmentScope.Global:
                return "all agents";
            case ContainmentScope.Agent:
                if (!AgentId.TryParse(target, out var id))
                    return null;
                return await db.Agents.AsNoTracking().Where(a => a.Id == id).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken);
            case ContainmentScope.Owner:
                return await db.Users.AsNoTracking().Where(u => u.Id == target).Select(u => u.DisplayName ?? u.Email).SingleOrDefaultAsync(cancellationToken);
            case ContainmentScope.Segment:
                var segment = target.ToLowerInvariant();
                return await db.Agents.AsNoTracking().AnyAsync(a => a.Segment == segment, cancellationToken) ? segment : null;
            default:
                return null;
        }
    }

    private static Task<List<Agent>> CoveredAgentsAsync(WardenDbContext db, Trip containment, CancellationToken cancellationToken)
    {
        var query = db.Agents.Where(a => a.Status != AgentStatus.Retired);
        switch (containment.Scope)
        {
            case ContainmentScope.Agent:
                var id = AgentId.Parse(containment.Target);
                query = query.Where(a => a.Id == id);
                break;
            case ContainmentScope.Owner:
                var owner = new Warden.Domain.People.UserId(containment.Target);
                query = query.Where(a => a.OwnerId == owner);
                break;
            case ContainmentScope.Segment:
                var segment = containment.Target.ToLowerInvariant();
                query = query.Where(a => a.Segment == segment);
                break;
        }
        return query.ToListAsync(cancellationToken);
    }

    private static string NewId(DateTimeOffset now) => Trip.IdPrefix + AgentId.New(now).Value[AgentId.Prefix.Length..];
}

internal static partial class ContainmentLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Containment {Id} is in force, but recording its timings failed.")]
    public static partial void AfterTripFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording time-to-contain failed; it is tried again.")]
    public static partial void FlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Circuit breaker {Rule} could not contain agent {AgentId}: {Reason}")]
    public static partial void BreakerTripFailed(ILogger logger, Exception? exception, string rule, string agentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit breaker {Rule} tripped agent {AgentId}.")]
    public static partial void BreakerTripped(ILogger logger, string rule, string agentId);
}
