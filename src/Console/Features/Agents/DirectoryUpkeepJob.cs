using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Events;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// Keeps the directory honest: flags agents whose owner is gone or disabled (offering them to an
/// active backup), suspends orphans after the grace period, and, with enforcement on, suspends
/// agents whose attestation is overdue past the grace period. Idempotent: a re-run changes nothing new.
/// </summary>
public sealed class DirectoryUpkeepJob(
    IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, AgentTokenGate tokenGate, EventPublisher events,
    IOptions<DirectoryOptions> options, TimeProvider clock)
{
    public const string RecurringJobId = "directory-upkeep";

    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 120)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var owners = await (from user in db.Users
                            where !user.IsDisabled
                            && db.UserRoles.Any(l => l.UserId == user.Id && db.Roles.Any(r => r.Id == l.RoleId && r.Name == Roles.AgentOwner))
                            select user.Id).ToListAsync(cancellationToken);
        var eligible = owners.ToHashSet(StringComparer.Ordinal);
        var agents = await db.Agents.Where(a => a.Status != AgentStatus.Retired).ToListAsync(cancellationToken);
        var changes = 0;
        var suspended = new List<Agent>();
        var overdue = new List<string>();
        foreach (var agent in agents)
        {
            var before = AgentSnapshot.Of(agent);
            var kind = Upkeep(agent, eligible, settings, now);
            if (kind is null)
                continue;
            db.AgentChanges.Add(AgentRegistryService.ChangeRecord(agent, null, kind.Value.Kind, kind.Value.Reason, before, now));
            if (agent.Status == AgentStatus.Suspended)
                suspended.Add(agent);
            if (kind.Value.AttestationOverdue)
                overdue.Add(agent.Id.Value);
            changes++;
        }
        await audit.SaveWithAuditAsync(db, cancellationToken);
        // A suspended agent's tokens stop working at once, as when a person suspends it.
        foreach (var agent in suspended)
            tokenGate.StatusChanged(agent.Id.Value, agent.Status, now);
        // Suspended for an attestation overdue beyond the limit: the agent also loses autonomy.
        foreach (var id in overdue)
            await events.PublishAsync(new AgentSuspendedForAttestation(id, settings.AttestationGraceDays), cancellationToken);
        return changes;
    }

    private static (string Kind, string Reason, bool AttestationOverdue)? Upkeep(Agent agent, HashSet<string> eligible, DirectoryOptions settings, DateTimeOffset now)
    {
        var ownerActive = eligible.Contains(agent.OwnerId.Value);
        if (!ownerActive && agent.MarkOrphaned(now))
        {
            if (agent.BackupOwnerId is { } backup && eligible.Contains(backup.Value))
                agent.OfferToBackup(now);
            return ("orphaned", "the owner is disabled, removed or no longer an agent owner", false);
        }
        if (ownerActive && agent.ClearOrphan(now))
            return ("orphan_cleared", "the owner is active again", false);
        if (agent.OrphanedSince is { } since && now - since >= TimeSpan.FromDays(settings.OrphanGraceDays)
            && agent.Suspend($"orphaned for more than {settings.OrphanGraceDays} days", now).IsSuccess)
            return ("suspended", agent.StatusReason!, false);
        var overdueBy = now - agent.AttestationDueAt(settings.AttestationPeriod);
        if (settings.EnforceAttestation && overdueBy >= TimeSpan.FromDays(settings.AttestationGraceDays)
            && agent.Suspend($"attestation overdue by more than {settings.AttestationGraceDays} days", now).IsSuccess)
            return ("suspended", agent.StatusReason!, true);
        return null;
    }
}
