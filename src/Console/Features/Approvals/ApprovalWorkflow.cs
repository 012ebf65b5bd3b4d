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
/// Officers' votes on approval requests, with no access checks of their own (callers check). Each
/// vote commits through <see cref="ApprovalCommits"/>, guarded by the request's version, so concurrent
/// votes produce exactly one final state and one event for it; the losers read again and are told why.
/// </summary>
public sealed class ApprovalWorkflow(
    IDbContextFactory<WardenDbContext> contexts,
    ApprovalCommits commits,
    Warden.Features.Containment.ContainmentRegistry containment,
    TimeProvider clock,
    ILogger<ApprovalWorkflow> logger)
{
    internal const int MaxAttempts = 32;

    /// <summary>Casts <paramref name="voter"/>'s vote. Refusals carry the reason; a lost race is retried against the winner's state.</summary>
    /// <param name="previewSeen">The digest of the preview the voter was shown; an approval counts only for the current one.</param>
    public async Task<Result<VoteResult>> VoteAsync(
        string requestId, Voter voter, Verdict verdict, string? reason, string? previewSeen, CancellationToken cancellationToken)
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
                await commits.TryCommitAsync(db, request, now, null, cancellationToken);
                return ApprovalErrors.AlreadyDecided(request.DescribeFinal());
            }
            if (await RefusalFromAgentAsync(db, request, voter, verdict, cancellationToken) is { } refused)
                return refused;
            var vote = request.Vote(voter, verdict, reason, now, previewSeen);
            if (vote.IsFailure)
                return vote.Error;

            var cast = request.Votes[^1];
            var voted = AuditEntry.Of(AuditActor.Person(voter.Id.Value, voter.Email), "approval.voted", request.AgentId, new
            {
                request = request.Id,
                decision = request.DecisionId,
                verdict = cast.Verdict.ToString().ToLowerInvariant(),
                reason = cast.Reason,
                preview = cast.PreviewDigest,
                approvals = request.Approvals,
                required = request.RequiredApprovals,
            });
            var actor = AuditActor.Person(voter.Id.Value, voter.Email);
            if (await commits.TryCommitAsync(db, request, now, (voted, actor), cancellationToken))
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
}

internal static partial class ApprovalLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A vote on {RequestId} lost {Attempts} races in a row and was refused.")]
    public static partial void GaveUp(ILogger logger, string requestId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The approval sweep failed; it runs again shortly.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
