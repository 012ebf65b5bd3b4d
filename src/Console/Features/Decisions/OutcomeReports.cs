using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Infrastructure.Events;
using Warden.Features.AuditLog;
using Warden.Features.Decisions.Grants;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// An agent reports what happened, with the decision's single-use grant, bound to the decided request.
/// What it reports is checked against what the request declared and the agent's caps: more is a
/// violation of the decision, and what is beyond the declaration counts toward today's totals.
/// </summary>
public sealed class OutcomeReports(
    IDbContextFactory<WardenDbContext> contexts, GrantTokens grants, DecisionJournal journal, AgentTokenGate gate, LiveAgents agents,
    SeverityTable severities, EventPublisher events, Warden.Features.Guardrails.Masking masking, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<OutcomeResponse>> ReportAsync(string agentId, string decisionId, OutcomeReportBody body, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var checkedReport = await CheckAsync(db, agentId, decisionId, body, cancellationToken);
        if (checkedReport.IsFailure)
            return checkedReport.Error;
        var (record, status, now) = checkedReport.Value;
        Fill(record, status, body, now);
        // Without the agent's verified caps the report cannot be checked against them: it is refused, not let through.
        if (!AgentId.TryParse(agentId, out var id) || await agents.GetAsync(id, cancellationToken) is not { } agent)
            return agents.IsRefused(id) ? DecisionErrors.AgentSettingsUnverified : DecisionErrors.NotFound(decisionId);
        var excess = Both(ImpactExcess.Of(record.Records, record.Amount, body.Records, body.Amount, agent.Caps),
                          Warden.Domain.Previews.PreviewBinding.Outcome(record.PreviewDigest, body.PreviewDigest));
        var severity = excess is null ? (ViolationSeverity?)null : severities.ForCode(excess.Code);
        if (excess is not null)
            MarkViolation(record, excess, severity!.Value);
        try
        {
            await journal.RecordOutcomeAsync(db, record, cancellationToken, excess);
        }
        catch (DbUpdateConcurrencyException)
        {
            return DecisionErrors.GrantUsed;
        }
        // Told before the report is answered: the agent's next request meets the totals, the breakers and any demotion.
        if (excess is not null)
            await events.PublishAsync(new OutcomeViolated(record.Id, agentId, agent.OwnerId.Value, agent.Segment, excess.Code, severity!.Value, now,
                                                          record.DecidedAt, excess.ExtraRecords, excess.ExtraAmount), cancellationToken);
        return new OutcomeResponse(record.Id, status, now);
    }

    /// <summary>An excess of the impact and a departure from the approved preview in one violation: the impact's code and figures, both messages.</summary>
    private static ImpactExcess? Both(ImpactExcess? impact, ImpactExcess? preview) => (impact, preview) switch
    {
        (null, _) => preview,
        (_, null) => impact,
        _ => impact with { Message = $"{impact.Message} {preview.Message}" },
    };

    /// <summary>The decision becomes a violation: its reasons gain the excess, after the reasons it was answered with.</summary>
    private static void MarkViolation(DecisionRecord record, ImpactExcess excess, ViolationSeverity severity)
    {
        var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(record.Reasons, Json) ?? [];
        reasons.Add(new ReasonBody(excess.Code, excess.Message));
        record.Reasons = JsonSerializer.Serialize(reasons, Json);
        record.IsViolation = true;
        record.ViolationSeverity = severity;
    }

    /// <summary>
    /// The same checks as <see cref="ReportAsync"/>, but the outcome is not written: it is returned as
    /// an addition for the caller to commit with something else (the gateway commits it with the
    /// review of the call's result). The grant counts as used only once the addition commits, and the
    /// commit fails if the decision changed since it was read here. The gateway reports no figures, so
    /// none are taken here: an excess cannot arise. The decision comes back as read, with its outcome
    /// filled in, so that what commits with it need not read it again.
    /// </summary>
    public async Task<Result<PreparedOutcome>> PrepareAsync(string agentId, string decisionId, OutcomeReportBody body, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var checkedReport = await CheckAsync(db, agentId, decisionId, body, cancellationToken);
        if (checkedReport.IsFailure)
            return checkedReport.Error;
        var (record, status, now) = checkedReport.Value;
        var version = db.Entry(record).Property<int>("Version").CurrentValue;
        db.Entry(record).State = EntityState.Detached;
        Fill(record, status, body with { Records = null, Amount = null }, now);
        return new PreparedOutcome(record, Update(record, version));
    }

    /// <summary>
    /// As <see cref="PrepareAsync"/>, for an allow this process has just committed and acted on itself
    /// (the gateway, with the record <see cref="DecisionPipeline.DecideRecordedAsync"/> returned): the
    /// decision is not read back and its grant, which never left the process, is not verified again.
    /// What can have changed since is still checked: a containment or credential revocation that voids
    /// the grant, its expiry, and at the commit, that the row is still the one written (version 0).
    /// </summary>
    public Result<PreparedOutcome> PrepareRecorded(string agentId, DecisionRecord recorded, string status, string? detail)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.AgentId != agentId || recorded.ReviewOf is not null)
            return DecisionErrors.NotFound(recorded.Id);
        var now = clock.GetUtcNow();
        if (Unusable(agentId, recorded, now) is { } refused)
            return refused;
        Fill(recorded, status, new OutcomeReportBody(null, status, null, null, detail), now);
        return new PreparedOutcome(recorded, Update(recorded, version: 0));
    }

    /// <summary>The outcome's columns written over <paramref name="version"/> (the commit fails if the row moved on), with its event.</summary>
    private static AuditAddition Update(DecisionRecord record, int version) => new(target =>
    {
        var row = target.Decisions.Attach(record);
        var stamp = row.Property<int>("Version");
        stamp.CurrentValue = version + 1;
        stamp.OriginalValue = version;
        foreach (var name in OutcomeColumns)
            row.Property(name).IsModified = true;
    }, [DecisionJournal.OutcomeEntry(record)]);

    private static readonly string[] OutcomeColumns =
    [
        nameof(DecisionRecord.GrantUsedAt), nameof(DecisionRecord.State), nameof(DecisionRecord.OutcomeStatus), nameof(DecisionRecord.OutcomeRecords),
        nameof(DecisionRecord.OutcomeAmount), nameof(DecisionRecord.OutcomeDetail), nameof(DecisionRecord.OutcomeAt),
    ];

    private async Task<Result<(DecisionRecord Record, string Status, DateTimeOffset Now)>> CheckAsync(
        WardenDbContext db, string agentId, string decisionId, OutcomeReportBody body, CancellationToken cancellationToken)
    {
        var status = body.Status?.Trim().ToLowerInvariant();
        if (status is not ("succeeded" or "failed" or "rolled_back"))
            return DecisionErrors.Invalid("status must be one of succeeded, failed, rolled_back.");
        if (body.Records < 0 || body.Amount < 0)
            return DecisionErrors.Invalid("records and amount cannot be negative.");
        if (body.Detail?.Length > 2000)
            return DecisionErrors.Invalid("detail has at most 2000 characters.");

        var record = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId && d.AgentId == agentId, cancellationToken);
        if (record is null)
            return DecisionErrors.NotFound(decisionId);
        if (record.ReviewOf is not null)
            return DecisionErrors.Invalid("An output review has no outcome to report.");
        if (!grants.TryRead(body.Grant, out var grant) || !grant.IsFor(record))
            return DecisionErrors.GrantInvalid;
        var now = clock.GetUtcNow();
        if (Unusable(agentId, record, now) is { } refused)
            return refused;
        return (record, status, now);
    }

    /// <summary>Why the decision's grant can no longer be used, or null when it can.</summary>
    private Error? Unusable(string agentId, DecisionRecord record, DateTimeOffset now)
    {
        if (record.GrantUsedAt is not null)
            return DecisionErrors.GrantUsed;
        if (record.State is not (DecisionState.Allowed or DecisionState.Approved))
            return DecisionErrors.GrantNotUsable(record.State);
        var expiry = DecisionAnswers.GrantExpiry(record);
        if (expiry < now)
            return DecisionErrors.GrantExpired;
        // A containment or a credential revocation voids every grant issued before it, even one
        // approved in the instant between the trip and the cancellation of the agent's approvals.
        return gate.InvalidatedSince(agentId, expiry - GrantTokens.Lifetime) ? DecisionErrors.GrantRevoked : null;
    }

    /// <summary>The outcome goes into the record; the agent's free-text detail is stored masked, like the request it answers.</summary>
    private void Fill(DecisionRecord record, string status, OutcomeReportBody body, DateTimeOffset now)
    {
        record.GrantUsedAt = now;
        record.State = DecisionState.Completed;
        record.OutcomeStatus = status;
        record.OutcomeRecords = body.Records;
        record.OutcomeAmount = body.Amount;
        record.OutcomeDetail = body.Detail is null ? null : masking.Text(body.Detail.Trim());
        record.OutcomeAt = now;
    }
}

/// <summary>An outcome checked but not yet written: the decision as read (with the outcome filled in) and what commits it.</summary>
public sealed record PreparedOutcome(DecisionRecord Decision, AuditAddition Addition);
