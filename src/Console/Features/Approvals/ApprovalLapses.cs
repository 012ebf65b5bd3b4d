using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Notifications;
using Warden.Persistence;

namespace Warden.Features.Approvals;

/// <summary>
/// What happens to approval requests without a vote: expiry (failing closed), escalation of requests
/// nobody handled, and cancellation when their agents are contained. Each change commits through
/// <see cref="ApprovalCommits"/> exactly once, whoever races it.
/// </summary>
public sealed class ApprovalLapses(
    IDbContextFactory<WardenDbContext> contexts,
    ApprovalCommits commits,
    AuditWriter audit,
    Notifier notifier,
    ApprovalFeed feed,
    TimeProvider clock) : IApprovalExpiry
{
    private const int MaxAttempts = ApprovalWorkflow.MaxAttempts;

    /// <summary>Expires every pending request whose deadline has passed. Returns how many it expired.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<string> due;
        await using (var db = contexts.CreateDbContext())
        {
            due = await db.ApprovalRequests.AsNoTracking()
                .Where(r => r.State == ApprovalState.Pending && r.ExpiresAt <= now)
                .OrderBy(r => r.ExpiresAt)
                .Select(r => r.Id)
                .Take(200)
                .ToListAsync(cancellationToken);
        }
        var expired = 0;
        foreach (var id in due)
        {
            if (await ExpireAsync(id, cancellationToken))
                expired++;
        }
        return expired;
    }

    /// <summary>Expires one request if it is due. Returns whether this call expired it.</summary>
    public async Task<bool> ExpireAsync(string requestId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            await using var db = contexts.CreateDbContext();
            var request = await db.ApprovalRequests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
            var now = clock.GetUtcNow();
            if (request is null || !request.ExpireIfDue(now))
                return false;
            if (await commits.TryCommitAsync(db, request, now, null, cancellationToken))
                return true;
        }
        return false;
    }

    /// <summary>Marks requests nobody has decided within <paramref name="after"/> and notifies the escalation group.</summary>
    public async Task<int> EscalateDueAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var openedBefore = now - after;
        await using var db = contexts.CreateDbContext();
        var due = await db.ApprovalRequests
            .Where(r => r.State == ApprovalState.Pending && r.EscalatedAt == null && r.OpenedAt <= openedBefore && r.ExpiresAt > now)
            .OrderBy(r => r.OpenedAt)
            .Take(100)
            .ToListAsync(cancellationToken);
        var escalated = new List<ApprovalRequest>();
        var notifications = new List<string?>();
        var entries = new List<AuditEntry>();
        foreach (var request in due)
        {
            if (!request.EscalateIfDue(after, now))
                continue;
            ApprovalCommits.Bump(db, request);
            escalated.Add(request);
            entries.Add(AuditEntry.Of(AuditActor.System, "approval.escalated", request.AgentId, new
            {
                request = request.Id,
                decision = request.DecisionId,
                group = notifier.EscalationGroup,
                waitedMinutes = Math.Round((now - request.OpenedAt).TotalMinutes, 1),
            }));
            notifications.Add(notifier.Queue(db, "approval.escalated", request.Id, await commits.PayloadAsync(db, request, notifier.EscalationGroup, cancellationToken), now));
        }
        if (escalated.Count == 0)
            return 0;
        try
        {
            await audit.AppendAsync(db, entries, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone decided one of them meanwhile; the next sweep escalates whatever is still waiting.
            return 0;
        }
        notifier.Dispatch(notifications);
        foreach (var request in escalated)
            feed.Publish(new ApprovalChange(request.Id, request.DecisionId, request.AgentId, request.State));
        return escalated.Count;
    }

    /// <summary>Cancels every pending request (everything was contained).</summary>
    public async Task<int> CancelAllAsync(string reason, CancellationToken cancellationToken)
    {
        List<string> agents;
        await using (var db = contexts.CreateDbContext())
        {
            agents = await db.ApprovalRequests.AsNoTracking()
                .Where(r => r.State == ApprovalState.Pending)
                .Select(r => r.AgentId)
                .Distinct()
                .ToListAsync(cancellationToken);
        }
        return await CancelForAgentsAsync(agents, reason, cancellationToken);
    }

    /// <summary>Cancels every pending request of the given agents (their agents were contained), telling each agent why.</summary>
    public async Task<int> CancelForAgentsAsync(IReadOnlyCollection<string> agentIds, string reason, CancellationToken cancellationToken)
    {
        var cancelled = 0;
        List<string> pending;
        await using (var db = contexts.CreateDbContext())
        {
            pending = await db.ApprovalRequests.AsNoTracking()
                .Where(r => r.State == ApprovalState.Pending && agentIds.Contains(r.AgentId))
                .Select(r => r.Id)
                .ToListAsync(cancellationToken);
        }
        foreach (var id in pending)
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                await using var db = contexts.CreateDbContext();
                var request = await db.ApprovalRequests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
                var now = clock.GetUtcNow();
                if (request is null || request.Cancel(reason, now).IsFailure)
                    break;
                if (await commits.TryCommitAsync(db, request, now, null, cancellationToken))
                {
                    cancelled++;
                    break;
                }
            }
        }
        return cancelled;
    }
}
