using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.Containment;
using Warden.Features.AuditLog;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Containment;

/// <summary>
/// Releases, without access checks of their own (callers check): an officer other than the one who
/// tripped approves (two for a global containment), and each agent is restored only when nothing else
/// contains it.
/// </summary>
public sealed class ContainmentReleases(
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    ContainmentRegistry registry,
    AgentTokenGate tokens,
    ContainmentTurns turns,
    TimeProvider clock)
{
    public async Task<Result<bool>> ApproveReleaseAsync(string containmentId, Voter officer, string? reason, CancellationToken cancellationToken)
    {
        using var turn = await turns.TakeAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReleaseOnceAsync(containmentId, officer, reason, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < ContainmentTurns.MaxAttempts)
            {
            }
        }
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

    // Returns every agent this containment covered to its earlier status, unless another containment still covers it.
    internal async Task RestoreAsync(WardenDbContext db, Trip containment, AuditActor actor, string kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var others = registry.Current.Without(containment.Id);
        var agents = await ContainmentTargets.CoveredAgentsAsync(db, containment, cancellationToken);
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
        var covered = await ContainmentTargets.CoveredAgentsAsync(db, containment, cancellationToken);
        return covered.Any(a => accounts.Contains(a.OwnerId.Value) || (a.BackupOwnerId is { } backup && accounts.Contains(backup.Value)));
    }
}
