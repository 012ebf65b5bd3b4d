using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Grants;
using Warden.Features.Notifications;
using Warden.Persistence;

namespace Warden.Features.Approvals;

/// <summary>
/// Commits one change of an approval request with its decision, audit events and notification in one
/// transaction guarded by the request's version; then tells the queues and the agent's long-poll.
/// </summary>
public sealed class ApprovalCommits(
    AuditWriter audit,
    ApprovalFeed feed,
    Notifier notifier,
    UsageMeter usage,
    Warden.Features.Guardrails.Masking masking)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Saves the request's change with its decision and events. Returns false when another writer
    /// changed the request first (nothing was written; the caller reads again).
    /// </summary>
    public async Task<bool> TryCommitAsync(
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
                approvers = request.LiveVotes.Where(v => v.Verdict == Verdict.Approve).Select(v => v.VoterName).ToList(),
                preview = request.PreviewDigest,
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
            await usage.CountLaterAsync(approved.AgentId, approved.DecidedAt, approved.Records, approved.Amount, cancellationToken);
        notifier.Dispatch([notification]);
        feed.Publish(new ApprovalChange(request.Id, request.DecisionId, request.AgentId, request.State));
        return true;
    }

    // The decision follows its request: approved becomes executable with a fresh grant window; any
    // other end is a refusal, and the agent is told why. Every vote is kept with its voter and reason,
    // one reason each, and the outcome comes last.
    private void Resolve(WardenDbContext db, DecisionRecord decision, ApprovalRequest request, DateTimeOffset now)
    {
        var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(decision.Reasons, Json) ?? [];
        var added = request.Votes.Select(VoteReason).ToList();
        (decision.State, var outcome) = request.State switch
        {
            ApprovalState.Approved => (DecisionState.Approved, new ReasonBody(DecisionCodes.Approved, $"Approved by {Voices(request, Verdict.Approve)}.")),
            ApprovalState.Denied => (DecisionState.Rejected, new ReasonBody(DecisionCodes.ApprovalDenied, $"Denied by {Voices(request, Verdict.Deny)}.")),
            ApprovalState.Expired => (DecisionState.Expired, new ReasonBody(DecisionCodes.ApprovalExpired, "Nobody decided the request before it expired; it is refused.")),
            _ => (DecisionState.Cancelled, new ReasonBody(DecisionCodes.ApprovalCancelled, $"The request was cancelled: {request.ResolutionReason}")),
        };
        added.Add(outcome);
        reasons.AddRange(added.Select(r => r with { Message = masking.Text(r.Message), Voter = r.Voter is null ? null : masking.Text(r.Voter) }));
        decision.Reasons = JsonSerializer.Serialize(reasons, Json);
        if (request.State == ApprovalState.Approved)
            decision.GrantExpiresAt = now + GrantTokens.Lifetime;

        db.Entry(decision).Property<int>("Version").CurrentValue++;
    }

    /// <summary>One vote as a reason: who, which way, when and in their own words.</summary>
    public static ReasonBody VoteReason(ApprovalVote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var verdict = vote.Verdict == Verdict.Approve ? "approved" : "denied";
        var voided = vote.VoidedAt is null ? string.Empty : " (void: the preview changed after this vote)";
        return new ReasonBody(DecisionCodes.ApprovalVote, $"{vote.VoterName} {verdict}: {vote.Reason}{voided}",
            vote.VoterName, vote.Verdict.ToString().ToLowerInvariant(), vote.CastAt);
    }

    // "A ("reason A") and B ("reason B")": each voter with their own words, so no reason reads as everyone's.
    private static string Voices(ApprovalRequest request, Verdict verdict) =>
        string.Join(" and ", request.LiveVotes.Where(v => v.Verdict == verdict).Select(v => $"{v.VoterName} (\u201c{v.Reason}\u201d)"));

    internal static void Bump(WardenDbContext db, ApprovalRequest request) =>
        db.Entry(request).Property<int>("Version").CurrentValue++;

    /// <summary>What a notification about <paramref name="request"/> says: enough to route and triage, and a link back.</summary>
    public object Payload(ApprovalRequest request, string? agentName, string? tool, string? operation, string? resource, string? escalatedTo) =>
        ApprovalNotice.For(request, agentName, tool, operation, resource, escalatedTo, notifier.Link($"/approvals/{request.Id}"));

    public async Task<object> PayloadAsync(WardenDbContext db, ApprovalRequest request, string? escalatedTo, CancellationToken cancellationToken)
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
