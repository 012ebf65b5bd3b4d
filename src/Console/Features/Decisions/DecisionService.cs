using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.Approvals;
using Warden.Features.AuditLog;
using Warden.Features.Autonomy;
using Warden.Features.Containment;
using Warden.Features.Guardrails;
using Warden.Features.Notifications;
using Warden.Features.Policies;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// The agent-facing decision path: shape and schema checks, the pure engine under the agent's usage
/// lock, then the durable write of the decision and its audit event before any answer leaves.
/// Every fault on the way is a refusal.
/// </summary>
public sealed class DecisionService(
    IDbContextFactory<WardenDbContext> contexts,
    LiveAgents agents,
    DecisionJournal journal,
    UsageMeter usage,
    PublishedPolicy policy,
    ParameterSchemas schemas,
    GrantTokens grants,
    KeyedLocks keys,
    ApprovalWorkflow approvals,
    ApprovalFeed feed,
    Notifier notifier,
    ContainmentRegistry containment,
    AgentTokenGate gate,
    CircuitBreakers breakers,
    Warden.Features.Behaviour.BehaviourMonitor behaviour,
    AutomaticDemotion demotion,
    RequestScreening screening,
    Masking masking,
    IOptions<DirectoryOptions> directory,
    TimeProvider clock,
    ILogger<DecisionService> logger)
{
    public static readonly TimeSpan GrantLifetime = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<DecisionResponse>> DecideAsync(string agentId, DecisionRequestBody body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is null)
            return await DecideOnceAsync(agentId, body, null, cancellationToken);
        // Requests sharing a key wait for each other, so a retry storm cannot race the first insert
        // (which would fail the whole group commit the insert travels in).
        using var _ = await keys.AcquireAsync($"{agentId}\n{idempotencyKey}", cancellationToken);
        return await DecideOnceAsync(agentId, body, idempotencyKey, cancellationToken);
    }

    private async Task<Result<DecisionResponse>> DecideOnceAsync(string agentId, DecisionRequestBody body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var shape = DecisionRequestShape.Check(body, idempotencyKey);
        if (shape.IsFailure)
            return shape.Error;
        var digest = RequestDigest.Of(body);

        if (idempotencyKey is not null)
        {
            await using var db = contexts.CreateDbContext();
            var earlier = await db.Decisions.AsNoTracking()
                .SingleOrDefaultAsync(d => d.AgentId == agentId && d.IdempotencyKey == idempotencyKey, cancellationToken);
            if (earlier is not null)
                return earlier.RequestDigest == digest ? ToResponse(earlier) : DecisionErrors.IdempotencyConflict;
        }

        if (!AgentId.TryParse(agentId, out var id))
            return DecisionErrors.UnknownAgent;
        var agent = await agents.GetAsync(id, cancellationToken);
        if (agent is null)
            return DecisionErrors.UnknownAgent;

        var request = shape.Value;
        var tool = agent.Tools.FirstOrDefault(t => t.Name == request.Tool);
        var violations = schemas.Check(tool?.ParameterSchema, body.Parameters);
        if (violations.Count > 0)
            return DecisionErrors.SchemaViolations(violations);

        var now = clock.GetUtcNow();
        var view = ViewOf(agent, now);
        var screened = await ScreenAsync(agentId, view, request.Tool, RequestScreening.RequestStage, body.Parameters, request.Justification, cancellationToken);
        if (screened is null)
            return DecisionErrors.Unavailable;
        var current = policy.Current;
        var contained = containment.Current;
        var findings = screened.ForPolicy();
        var decision = await usage.DecideAsync(agentId, now, request.Impact, seen =>
            DecisionEngine.Decide(new DecisionContext(view, contained, seen, request, findings, current, now)), cancellationToken);
        if (decision.PrimaryReason.Code == DecisionCodes.Contained && contained.Covering(agentId, agent.OwnerId.Value, agent.Segment) is { } covering)
            containment.NoteRefusalOf(covering.Id, now);

        var record = NewRecord(agentId, request, decision, digest, idempotencyKey, now);
        record.Parameters = body.Parameters is { } p ? masking.Json(p, screened.Findings) : null;
        if (request.Justification is { } justification)
            record.Justification = Fit(masking.Text(justification, screened.Findings.Where(f => f.Location == RequestScreening.JustificationLocation)), 2000);
        try
        {
            await RecordAsync(record, decision, agent, screened, RequestScreening.RequestStage, now, cancellationToken);
        }
        catch (AuditCommitException ex) when (idempotencyKey is not null && ex.InnerException is DbUpdateException)
        {
            // A concurrent request with the same key won the insert: answer as it was answered.
            await using var again = contexts.CreateDbContext();
            var winner = await again.Decisions.AsNoTracking()
                .SingleOrDefaultAsync(d => d.AgentId == agentId && d.IdempotencyKey == idempotencyKey, cancellationToken);
            if (winner is null)
                return DecisionErrors.Unavailable;
            return winner.RequestDigest == digest ? ToResponse(winner) : DecisionErrors.IdempotencyConflict;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DecisionLog.RecordFailed(logger, ex, agentId);
            return DecisionErrors.Unavailable;
        }
        breakers.Observe(agentId, agent.OwnerId.Value, agent.Segment, decision, now);
        // Refusals of a contained agent say nothing about its habits; everything else feeds its baseline (queued, no I/O here).
        if (decision.PrimaryReason.Code != DecisionCodes.Contained)
            behaviour.Observe(record);
        return ToResponse(record);
    }

    /// <summary>
    /// Reviews what an agent is about to release after an allowed action: the same scanners, then
    /// the policy's content rules. The review is a decision of its own (no grant): allow releases,
    /// deny holds back, pending waits for officers like any other approval.
    /// </summary>
    public async Task<Result<DecisionResponse>> ReviewOutputAsync(string agentId, string decisionId, OutputReviewBody body, CancellationToken cancellationToken)
    {
        if (body.Output is not { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } output)
            return DecisionErrors.Invalid("output is required: the text or JSON the agent is about to release.");
        await using var db = contexts.CreateDbContext();
        var action = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId && d.AgentId == agentId, cancellationToken);
        if (action is null)
            return DecisionErrors.NotFound(decisionId);
        if (action.ReviewOf is not null)
            return DecisionErrors.Invalid("This decision is itself an output review; review the output of the action's decision.");
        if (action.State is not (DecisionState.Allowed or DecisionState.Approved or DecisionState.Completed) || action.Outcome == DecisionOutcome.Deny)
            return DecisionErrors.Invalid($"Only the output of an allowed action is reviewed; this decision is {action.State.ToString().ToLowerInvariant()}.");
        if (!AgentId.TryParse(agentId, out var id))
            return DecisionErrors.UnknownAgent;
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agent is null)
            return DecisionErrors.UnknownAgent;

        var now = clock.GetUtcNow();
        var view = ViewOf(agent, now);
        var wrapped = Wrap(output);
        var screened = await ScreenAsync(agentId, view, action.Tool, RequestScreening.OutputStage, wrapped, null, cancellationToken);
        if (screened is null)
            return DecisionErrors.Unavailable;
        var request = DecisionRequest.Create(action.Tool, action.Operation, action.Resource, RequestImpact.None, null);
        if (request.IsFailure)
            return request.Error;
        var contained = containment.Current;
        var decision = DecisionEngine.ReviewOutput(new DecisionContext(view, contained, UsageView.None, request.Value, screened.ForPolicy(), policy.Current, now));

        var record = NewRecord(agentId, request.Value, decision, RequestDigest.OfValue(wrapped), null, now);
        record.Resource = action.Resource;
        record.ReviewOf = action.Id;
        record.Parameters = masking.Json(wrapped, screened.Findings);
        if (record.State == DecisionState.Allowed)
            record.ExpiresAt = null;
        try
        {
            await RecordAsync(record, decision, agent, screened, RequestScreening.OutputStage, now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DecisionLog.RecordFailed(logger, ex, agentId);
            return DecisionErrors.Unavailable;
        }
        return ToResponse(record);
    }

    private AgentView ViewOf(Agent agent, DateTimeOffset now)
    {
        var settings = directory.Value;
        // Enforcement refuses from the moment the upkeep job would suspend: overdue past the grace period.
        var overdueBeyondGrace = now > agent.AttestationDueAt(settings.AttestationPeriod) + TimeSpan.FromDays(settings.AttestationGraceDays);
        return AgentView.From(agent, overdueBeyondGrace, settings.EnforceAttestation);
    }

    /// <summary>Screening that cannot finish refuses: null means the decision is unavailable, never allowed.</summary>
    private async Task<Screening?> ScreenAsync(
        string agentId, AgentView view, string tool, string stage, JsonElement? content, string? justification, CancellationToken cancellationToken)
    {
        try
        {
            return await screening.ScreenAsync(agentId, view, tool, stage, content, justification, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DecisionLog.ScreeningFailed(logger, ex, agentId);
            return null;
        }
    }

    private static JsonElement Wrap(JsonElement output)
    {
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(new { output }));
        return document.RootElement.Clone();
    }

    /// <summary>The decision, its findings and the approval request it opens commit with their audit event; then officers hear of it.</summary>
    private async Task RecordAsync(
        DecisionRecord record, Decision decision, Agent agent, Screening screened, string stage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var opened = decision.Outcome == DecisionOutcome.Pending
            ? ApprovalRequest.Open(record.Id, record.AgentId, agent.OwnerId, agent.BackupOwnerId, decision.RequiredApprovals,
                                   decision.RiskTier ?? RiskTier.Critical, decision.MatchedRuleId, now, record.ExpiresAt!.Value, decision.EligibleRoles)
            : null;
        if (opened is not null)
            record.RequiredApprovals = opened.RequiredApprovals;
        record.ViolationSeverity = demotion.Classify(decision, screened.Findings.Select(f => f.Kind));
        var found = screened.Findings.Take(FindingRecord.MaxPerDecision)
            .Select(f => FindingRecord.From(f, record.Id, record.AgentId, stage, now, masking)).ToList();
        string? notification = null;
        await journal.RecordAsync(record, cancellationToken, opened is null && found.Count == 0 ? null : db =>
        {
            db.GuardrailFindings.AddRange(found);
            if (opened is null)
                return;
            db.ApprovalRequests.Add(opened);
            notification = notifier.Queue(db, "approval.opened", opened.Id,
                approvals.Payload(opened, agent.Name, record.Tool, record.Operation, record.Resource, null), now);
        }, screened.Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList());
        if (opened is not null)
        {
            notifier.Dispatch([notification]);
            feed.Publish(new ApprovalChange(opened.Id, record.Id, record.AgentId, opened.State));
        }
        // Demoted before the answer leaves, so the agent's very next request meets the lower level.
        if (record.ViolationSeverity == ViolationSeverity.Critical)
            await demotion.OnCriticalViolationAsync(record.AgentId, record.Id, decision.Reasons.Count > 1 ? decision.Reasons[^1].Code : decision.PrimaryReason.Code, CancellationToken.None);
    }

    public async Task<Result<DecisionResponse>> GetAsync(string agentId, string decisionId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            await using var db = contexts.CreateDbContext();
            var record = await db.Decisions.AsNoTracking()
                .SingleOrDefaultAsync(d => d.Id == decisionId && d.AgentId == agentId, cancellationToken);
            if (record is null)
                return DecisionErrors.NotFound(decisionId);
            if (record.State != DecisionState.Pending || clock.GetUtcNow() >= deadline)
                return ToResponse(await ExpireIfDueAsync(db, record, cancellationToken));
            // Woken by the vote that resolves it; the timeout re-reads in case it was resolved elsewhere.
            var left = deadline - clock.GetUtcNow();
            await feed.WaitAsync(record.Id, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), clock, cancellationToken);
        }
    }

    public async Task<Result<OutcomeResponse>> ReportOutcomeAsync(string agentId, string decisionId, OutcomeReportBody body, CancellationToken cancellationToken)
    {
        var status = body.Status?.Trim().ToLowerInvariant();
        if (status is not ("succeeded" or "failed" or "rolled_back"))
            return DecisionErrors.Invalid("status must be one of succeeded, failed, rolled_back.");
        if (body.Records < 0 || body.Amount < 0)
            return DecisionErrors.Invalid("records and amount cannot be negative.");
        if (body.Detail?.Length > 2000)
            return DecisionErrors.Invalid("detail has at most 2000 characters.");

        await using var db = contexts.CreateDbContext();
        var record = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId && d.AgentId == agentId, cancellationToken);
        if (record is null)
            return DecisionErrors.NotFound(decisionId);
        if (record.ReviewOf is not null)
            return DecisionErrors.Invalid("An output review has no outcome to report.");
        if (!grants.Matches(body.Grant, record.Id, record.RequestDigest))
            return DecisionErrors.GrantInvalid;
        var now = clock.GetUtcNow();
        if (record.GrantUsedAt is not null)
            return DecisionErrors.GrantUsed;
        if (record.State is not (DecisionState.Allowed or DecisionState.Approved))
            return DecisionErrors.GrantNotUsable(record.State);
        if (GrantExpiry(record) < now)
            return DecisionErrors.GrantExpired;
        // A containment or a credential revocation voids every grant issued before it, even one
        // approved in the instant between the trip and the cancellation of the agent's approvals.
        if (gate.InvalidatedSince(agentId, GrantExpiry(record) - GrantLifetime))
            return DecisionErrors.GrantRevoked;

        record.GrantUsedAt = now;
        record.State = DecisionState.Completed;
        record.OutcomeStatus = status;
        record.OutcomeRecords = body.Records;
        record.OutcomeAmount = body.Amount;
        record.OutcomeDetail = body.Detail?.Trim();
        record.OutcomeAt = now;
        try
        {
            await journal.RecordOutcomeAsync(db, record, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return DecisionErrors.GrantUsed;
        }
        return new OutcomeResponse(record.Id, status, now);
    }

    private async Task<DecisionRecord> ExpireIfDueAsync(WardenDbContext db, DecisionRecord record, CancellationToken cancellationToken)
    {
        if (record.State != DecisionState.Pending || record.ExpiresAt > clock.GetUtcNow())
            return record;
        if (await approvals.ExpireAsync(ApprovalRequest.IdFor(record.Id), cancellationToken))
            return await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == record.Id, cancellationToken);
        // A decision without a request (or one another caller just expired): expire the decision alone if still pending.
        var expired = await journal.ExpireAsync(db, record.Id, clock.GetUtcNow(), cancellationToken);
        return expired ?? record;
    }

    private DecisionRecord NewRecord(
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
        Outcome = decision.Outcome,
        State = decision.Outcome switch
        {
            DecisionOutcome.Allow => DecisionState.Allowed,
            DecisionOutcome.Pending => DecisionState.Pending,
            _ => DecisionState.Denied,
        },
        Reasons = JsonSerializer.Serialize(decision.Reasons.Select(r => new ReasonBody(r.Code, masking.Text(r.Message))), Json),
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
            DecisionOutcome.Allow => now + GrantLifetime,
            _ => null,
        },
    };

    // Masking can lengthen text slightly; stored text never exceeds its column.
    private static string Fit(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static DateTimeOffset GrantExpiry(DecisionRecord record) =>
        record.GrantExpiresAt ?? record.ExpiresAt ?? record.DecidedAt;

    /// <summary>The answer as it stands now: approved decisions allow, refused or lapsed approvals deny.</summary>
    private static string CurrentOutcome(DecisionRecord record) => record.State switch
    {
        DecisionState.Pending => "pending",
        DecisionState.Allowed or DecisionState.Approved => "allow",
        DecisionState.Completed => record.Outcome == DecisionOutcome.Deny ? "deny" : "allow",
        _ => "deny",
    };

    internal DecisionResponse ToResponse(DecisionRecord record)
    {
        var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(record.Reasons, Json) ?? [];
        var grant = record.State is DecisionState.Allowed or DecisionState.Approved && record.ReviewOf is null
            ? new GrantBody(grants.For(record.Id, record.RequestDigest), GrantExpiry(record))
            : null;
        var approval = record.Outcome == DecisionOutcome.Pending
            ? new ApprovalBody(ApprovalRequest.IdFor(record.Id), record.RequiredApprovals, record.ExpiresAt ?? record.DecidedAt)
            : null;
        return new DecisionResponse(
            record.Id,
            CurrentOutcome(record),
            record.State.ToString().ToLowerInvariant(),
            reasons,
            grant,
            approval,
            record.PolicyVersion,
            record.RiskTier);
    }
}

internal static partial class DecisionLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A decision for {AgentId} could not be recorded; the request was refused.")]
    public static partial void RecordFailed(ILogger logger, Exception exception, string agentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A request of {AgentId} could not be screened; it was refused.")]
    public static partial void ScreeningFailed(ILogger logger, Exception exception, string agentId);
}
