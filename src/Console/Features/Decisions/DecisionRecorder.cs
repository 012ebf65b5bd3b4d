using System.Text.Json;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Decisions.Grants;
using Warden.Features.Guardrails;
using Warden.Features.Notifications;

namespace Warden.Features.Decisions;

/// <summary>
/// Makes a decision durable: the record (its texts masked), its findings, the approval request a held
/// decision opens and the officers' notification, or the review an allowed one is queued for, all
/// commit with the decision's audit event.
/// </summary>
public sealed class DecisionRecorder(DecisionJournal journal, Masking masking, SeverityTable severities, Notifier notifier)
{
    public DecisionRecord NewRecord(
        string agentId, DecisionRequest request, Decision decision, string digest, string? idempotencyKey, DateTimeOffset now) => new()
    {
        Id = DecisionIds.New(now),
        AgentId = agentId,
        DecidedAt = now,
        Tool = Fit(masking.Text(request.Tool), 64),
        Operation = OperationNames.Name(request.Operation),
        Resource = Fit(masking.Text(request.Resource), 512),
        Records = request.Impact.Records,
        Amount = request.Impact.Amount,
        Currency = request.Impact.Currency,
        ImpactDeclared = request.Impact.Declared,
        Outcome = decision.Outcome,
        State = decision.Outcome switch
        {
            DecisionOutcome.Allow => DecisionState.Allowed,
            DecisionOutcome.Pending => DecisionState.Pending,
            _ => DecisionState.Denied,
        },
        Reasons = JsonSerializer.Serialize(decision.Reasons.Select(r => new ReasonBody(r.Code, masking.Text(r.Message))).ToList(), DecisionJson.Default.ListReasonBody),
        RiskTier = decision.RiskTier?.ToString().ToLowerInvariant(),
        PolicyVersion = decision.PolicyVersion,
        MatchedRuleId = decision.MatchedRuleId,
        OtherRuleIds = decision.OtherRuleIds is { } others ? string.Join(DecisionRecord.RuleIdSeparator, others) : null,
        IsViolation = decision.IsViolation,
        RequestDigest = digest,
        IdempotencyKey = idempotencyKey,
        RequiredApprovals = decision.RequiredApprovals,
        ExpiresAt = decision.Outcome switch
        {
            DecisionOutcome.Pending => now + (decision.ApprovalExpiry ?? Decision.DefaultApprovalExpiry),
            DecisionOutcome.Allow => now + GrantTokens.Lifetime,
            _ => null,
        },
    };

    /// <summary>Stores what the agent sent with personal data and secrets replaced by placeholders.</summary>
    public void MaskContent(DecisionRecord record, JsonElement? parameters, string? justification, Screening screened)
    {
        record.Parameters = parameters is { } p ? masking.Json(p, screened.Findings) : null;
        if (justification is not null)
            record.Justification = Fit(masking.Text(justification, screened.Findings.Where(f => f.Location == RequestScreening.JustificationLocation)), 2000);
    }

    /// <summary>Masked text that never exceeds its column (masking can lengthen text slightly).</summary>
    public static string Fit(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>Commits the decision; returns what its followers are told once it is durable.</summary>
    /// <param name="stillHolds">
    /// Checked in the audit writer's turn, just before the decision is chained, for an allow or a hold:
    /// false refuses the write with <see cref="ContainedSinceDecidedException"/>, and nothing is recorded.
    /// </param>
    /// <param name="decidedUnder">
    /// The state epoch the decision was made under. An allow or a hold is recorded only if it is still
    /// the one in force at the commit; otherwise the write is refused with
    /// <see cref="Warden.Infrastructure.Cluster.StaleStateException"/>, and nothing is recorded.
    /// </param>
    /// <param name="with">More rows and events that commit with the decision, or not at all.</param>
    /// <param name="withdrawnBy">
    /// For an allow or a hold: cancelled while the decision still waits for the writer's turn, it is not
    /// recorded (<see cref="AuditItemWithdrawnException"/>); cancelled later, <paramref name="stillHolds"/> decides.
    /// </param>
    public async Task<DecisionCommitted> RecordAsync(
        DecisionRecord record, Decision decision, Agent agent, Screening screened, string stage, DateTimeOffset now,
        Func<bool> stillHolds, long decidedUnder, CancellationToken cancellationToken, AuditAddition? with = null, Withdrawal withdrawnBy = default)
    {
        var opened = decision.Outcome == DecisionOutcome.Pending
            ? ApprovalRequest.Open(record.Id, record.AgentId, agent.OwnerId, agent.BackupOwnerId, decision.RequiredApprovals,
                                   decision.RiskTier ?? RiskTier.Critical, decision.MatchedRuleId, now, record.ExpiresAt!.Value, decision.EligibleRoles,
                                   record.PreviewDigest)
            : null;
        if (opened is not null)
            record.RequiredApprovals = opened.RequiredApprovals;
        var review = decision.Outcome == DecisionOutcome.Allow && decision.ReviewAfter ? ActionReview.Open(record.Id, agent.Id, now) : null;
        record.ViolationSeverity = severities.Classify(decision, screened.Findings.Select(f => f.Kind));
        var found = screened.Findings.Take(FindingRecord.MaxPerDecision)
            .Select(f => FindingRecord.From(f, record.Id, record.AgentId, stage, now, masking)).ToList();
        string? notification = null;
        var guarded = decision.Outcome != DecisionOutcome.Deny;
        await journal.RecordAsync(record, cancellationToken, !guarded && found.Count == 0 && with?.Apply is null ? null : db =>
        {
            if (guarded && !stillHolds())
                throw new ContainedSinceDecidedException(record.AgentId);
            with?.Apply?.Invoke(db);
            db.GuardrailFindings.AddRange(found);
            if (review is not null)
                db.ActionReviews.Add(review);
            if (opened is null)
                return;
            db.ApprovalRequests.Add(opened);
            notification = notifier.Queue(db, "approval.opened", opened.Id,
                ApprovalNotice.For(opened, agent.Name, record.Tool, record.Operation, record.Resource, null, notifier.Link($"/approvals/{opened.Id}")), now);
        }, screened.Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList(), guarded ? decidedUnder : null, with?.Entries,
            guarded ? withdrawnBy : default);
        return new DecisionCommitted(
            record.Id, record.AgentId, agent.OwnerId.Value, agent.Segment, decision, record.DecidedAt, record.Tool, record.Resource,
            record.ViolationSeverity, record.ReviewOf, opened is null ? null : new OpenedApproval(opened.Id, opened.State, notification));
    }
}

/// <summary>A containment the decision did not see covers its agent by the time it would be recorded; it is decided again.</summary>
public sealed class ContainedSinceDecidedException(string agentId)
    : Exception($"Agent {agentId} was contained after its request was decided; the request is decided again.");
