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

/// <summary>The result of a vote that counted: where the request now stands.</summary>
public sealed record VoteResult(string RequestId, ApprovalState State, int Approvals, int RequiredApprovals);

/// <summary>
/// Every state change of an approval request, with no access checks of its own (callers check):
/// votes, expiry, escalation and cancellation. Each change commits the request, its decision and
/// its audit events in one transaction guarded by the request's version, so concurrent attempts
/// produce exactly one final state and one event for it; the losers read again and are told why.
/// </summary>
public sealed class ApprovalWorkflow(
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    ApprovalFeed feed,
    Notifier notifier,
    UsageMeter usage,
    Warden.Features.Containment.ContainmentRegistry containment,
    Warden.Features.Guardrails.Masking masking,
    TimeProvider clock,
    ILogger<ApprovalWorkflow> logger) : IApprovalExpiry
{
    private const int MaxAttempts = 32;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Casts <paramref name="voter"/>'s vote. Refusals carry the reason; a lost race is retried against the winner's state.</summary>
    public async Task<Result<VoteResult>> VoteAsync(string requestId, Voter voter, Verdict verdict, string? reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            await using var db = contexts.CreateDbContext();
            var request = await db.ApprovalRequests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
            if (request is null)
                return ApprovalErrors.NotFound;
            var now = clock.GetUtcNow();
            if (request.ExpireIfDue(now))
            {
                await TryCommitAsync(db, request, now, null, cancellationToken);
                return ApprovalErrors.AlreadyDecided(request.DescribeFinal());
            }
            if (await RefusalFromAgentAsync(db, request, voter, verdict, cancellationToken) is { } refused)
                return refused;
            var vote = request.Vote(voter, verdict, reason, now);
            if (vote.IsFailure)
                return vote.Error;

            var cast = request.Votes[^1];
            var voted = AuditEntry.Of(AuditActor.Person(voter.Id.Value, voter.Email), "approval.voted", request.AgentId, new
            {
                request = request.Id,
                decision = request.DecisionId,
                verdict = cast.Verdict.ToString().ToLowerInvariant(),
                reason = cast.Reason,
                approvals = request.Approvals,
                required = request.RequiredApprovals,
            });
            var actor = AuditActor.Person(voter.Id.Value, voter.Email);
            if (await TryCommitAsync(db, request, now, (voted, actor), cancellationToken))
                return new VoteResult(request.Id, request.State, request.Approvals, request.RequiredApprovals);
        }
        ApprovalLog.GaveUp(logger, requestId, MaxAttempts);
        return ApprovalErrors.Busy;
    }

    // Checked against the agent as it is now, not as it was when the request opened: its current owner
    // and backup owner (under any of their accounts) never vote, and a contained or inactive agent's
    // action is never approved (it may still be denied).
    private async Task<Error?> RefusalFromAgentAsync(WardenDbContext db, ApprovalRequest request, Voter voter, Verdict verdict, CancellationToken cancellationToken)
    {
        if (!AgentId.TryParse(request.AgentId, out var id))
            return ApprovalErrors.NotFound;
        var agent = await db.Agents.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.OwnerId, a.BackupOwnerId, a.Segment, a.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (agent is null)
            return ApprovalErrors.NotFound;
        var people = new[] { agent.OwnerId.Value, agent.BackupOwnerId?.Value ?? string.Empty };
        var emails = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        var mailbox = Voter.Mailbox(voter.Email);
        bool Is(string personId) => voter.Id.Value == personId
            || emails.Any(e => e.Id == personId && e.Email is not null && Voter.Mailbox(e.Email) == mailbox);
        if (Is(agent.OwnerId.Value))
            return ApprovalErrors.OwnerCannotVote;
        if (agent.BackupOwnerId is { } backup && Is(backup.Value))
            return ApprovalErrors.BackupOwnerCannotVote;
        if (verdict == Verdict.Approve
            && (agent.Status != AgentStatus.Active || containment.Current.Covering(request.AgentId, agent.OwnerId.Value, agent.Segment) is not null))
            return ApprovalErrors.AgentNotActive;
        return null;
    }

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
            if (await TryCommitAsync(db, request, now, null, cancellationToken))
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
            Bump(db, request);
            escalated.Add(request);
            entries.Add(AuditEntry.Of(AuditActor.System, "approval.escalated", request.AgentId, new
            {
                request = request.Id,
                decision = request.DecisionId,
                group = notifier.EscalationGroup,
                waitedMinutes = Math.Round((now - request.OpenedAt).TotalMinutes, 1),
            }));
            notifications.Add(notifier.Queue(db, "approval.escalated", request.Id, await PayloadAsync(db, request, notifier.EscalationGroup, cancellationToken), now));
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
                if (await TryCommitAsync(db, request, now, null, cancellationToken))
                {
                    cancelled++;
                    break;
                }
            }
        }
        return cancelled;
    }

    /// <summary>
    /// Saves the request's change with its decision and events. Returns false when another writer
    /// changed the request first (nothing was written; the caller reads again).
    /// </summary>
    private async Task<bool> TryCommitAsync(
        WardenDbContext db, ApprovalRequest request, DateTimeOffset now, (AuditEntry Entry, AuditActor Actor)? vote, CancellationToken cancellationToken)
    {
        Bump(db, request);
        var entries = new List<AuditEntry>();
        if (vote is { } cast)
            entries.Add(cast.Entry);
        string? notification = null;
        DecisionRecord? approved = null;
        if (request.IsFinal)
        {
            var decision = await db.Decisions.SingleOrDefaultAsync(d => d.Id == request.DecisionId, cancellationToken);
            if (decision is not null && decision.State == DecisionState.Pending)
            {
                Resolve(db, decision, request, now);
                if (decision.State == DecisionState.Approved)
                    approved = decision;
            }
            var kind = "approval." + request.State.ToString().ToLowerInvariant();
            entries.Add(AuditEntry.Of(vote?.Actor ?? AuditActor.System, kind, request.AgentId, new
            {
                request = request.Id,
                decision = request.DecisionId,
                reason = request.ResolutionReason,
                approvers = request.Votes.Where(v => v.Verdict == Verdict.Approve).Select(v => v.VoterName).ToList(),
                deniedBy = request.Votes.Where(v => v.Verdict == Verdict.Deny).Select(v => v.VoterName).ToList(),
                openedAt = request.OpenedAt,
                resolvedAt = request.ResolvedAt,
            }));
            notification = notifier.Queue(db, kind, request.Id, await PayloadAsync(db, request, null, cancellationToken), now);
        }
        try
        {
            await audit.AppendAsync(db, entries, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        // Held actions were not counted when decided; an approved one counts against today's budget now.
        if (approved is not null)
            usage.AddApproved(approved.AgentId, approved.DecidedAt, approved.Records, approved.Amount);
        notifier.Dispatch([notification]);
        feed.Publish(new ApprovalChange(request.Id, request.DecisionId, request.AgentId, request.State));
        return true;
    }

    // The decision follows its request: approved becomes executable with a fresh grant window; any
    // other end is a refusal, and the agent is told why.
    private void Resolve(WardenDbContext db, DecisionRecord decision, ApprovalRequest request, DateTimeOffset now)
    {
        var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(decision.Reasons, Json) ?? [];
        var approvers = string.Join(" and ", request.Votes.Where(v => v.Verdict == Verdict.Approve).Select(v => v.VoterName));
        var deniers = string.Join(" and ", request.Votes.Where(v => v.Verdict == Verdict.Deny).Select(v => v.VoterName));
        (decision.State, var reason) = request.State switch
        {
            ApprovalState.Approved => (DecisionState.Approved, new ReasonBody(DecisionCodes.Approved, $"Approved by {approvers}: {request.ResolutionReason}")),
            ApprovalState.Denied => (DecisionState.Rejected, new ReasonBody(DecisionCodes.ApprovalDenied, $"Denied by {deniers}: {request.ResolutionReason}")),
            ApprovalState.Expired => (DecisionState.Expired, new ReasonBody(DecisionCodes.ApprovalExpired, "Nobody decided the request before it expired; it is refused.")),
            _ => (DecisionState.Cancelled, new ReasonBody(DecisionCodes.ApprovalCancelled, $"The request was cancelled: {request.ResolutionReason}")),
        };
        reasons.Add(reason with { Message = masking.Text(reason.Message) });
        decision.Reasons = JsonSerializer.Serialize(reasons, Json);
        if (request.State == ApprovalState.Approved)
            decision.GrantExpiresAt = now + GrantTokens.Lifetime;

        db.Entry(decision).Property<int>("Version").CurrentValue++;
    }

    private static void Bump(WardenDbContext db, ApprovalRequest request) =>
        db.Entry(request).Property<int>("Version").CurrentValue++;

    /// <summary>What a notification about <paramref name="request"/> says: enough to route and triage, and a link back.</summary>
    public object Payload(ApprovalRequest request, string? agentName, string? tool, string? operation, string? resource, string? escalatedTo) =>
        ApprovalNotice.For(request, agentName, tool, operation, resource, escalatedTo, notifier.Link($"/approvals/{request.Id}"));

    private async Task<object> PayloadAsync(WardenDbContext db, ApprovalRequest request, string? escalatedTo, CancellationToken cancellationToken)
    {
        var agentName = AgentId.TryParse(request.AgentId, out var agentId)
            ? await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        var decision = await db.Decisions.AsNoTracking()
            .Where(d => d.Id == request.DecisionId)
            .Select(d => new { d.Tool, d.Operation, d.Resource })
            .SingleOrDefaultAsync(cancellationToken);
        return Payload(request, agentName, decision?.Tool, decision?.Operation, decision?.Resource, escalatedTo);
    }
}

internal static partial class ApprovalLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A vote on {RequestId} lost {Attempts} races in a row and was refused.")]
    public static partial void GaveUp(ILogger logger, string requestId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The approval sweep failed; it runs again shortly.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
