using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// Writes decisions and their later changes together with their audit events. New decisions go
/// through the group-commit path: the awaited task completes only once the decision and its event
/// are durable, and many concurrent decisions share one transaction.
/// </summary>
public sealed class DecisionJournal(AuditWriter audit)
{
    /// <param name="alongside">More changes that must commit with the decision (the approval request it opens).</param>
    /// <param name="findingKinds">The kinds of guardrail finding in the request, named in the audit event (never their values).</param>
    /// <param name="decidedUnder">The state epoch the decision was made under; null when it stands whatever changed since (a denial).</param>
    /// <param name="more">Further events that commit with the decision, chained right after its own.</param>
    /// <param name="withdrawnBy">Withdraws the decision while it waits for its turn (<see cref="AuditBatchItem.WithdrawnBy"/>).</param>
    public Task RecordAsync(
        DecisionRecord record, CancellationToken cancellationToken, Action<WardenDbContext>? alongside = null, IReadOnlyList<string>? findingKinds = null,
        long? decidedUnder = null, IReadOnlyList<AuditEntry>? more = null, Withdrawal withdrawnBy = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Built only from the record, whose texts the decision path masked (tool, resource, reasons);
        // the rest are identifiers, codes, numbers and finding kinds.
        var entry = new AuditEntry(AuditActor.Agent(record.AgentId, record.AgentId), $"decision.{record.State.ToString().ToLowerInvariant()}",
            record.AgentId, EventData(record, findingKinds)) { IsMasked = true };
        return audit.CommitAsync(new AuditBatchItem(entry, db =>
        {
            db.Decisions.Add(record);
            alongside?.Invoke(db);
        }, decidedUnder, more, withdrawnBy));
    }

    /// <param name="excess">What the outcome reported beyond its declaration or the caps, named in the event; null when nothing.</param>
    public async Task RecordOutcomeAsync(WardenDbContext db, DecisionRecord record, CancellationToken cancellationToken, ImpactExcess? excess = null)
    {
        db.Entry(record).Property<int>("Version").CurrentValue++;
        await audit.AppendAsync(db, [OutcomeEntry(record, excess)], cancellationToken);
    }

    /// <summary>The event of a reported outcome, built from the record's outcome fields and the excess found in them.</summary>
    public static AuditEntry OutcomeEntry(DecisionRecord record, ImpactExcess? excess = null) => Entry(record, "decision.outcome_reported", excess is null
        ? new
        {
            decision = record.Id,
            status = record.OutcomeStatus,
            records = record.OutcomeRecords,
            amount = record.OutcomeAmount,
            detail = record.OutcomeDetail,
        }
        : new
        {
            decision = record.Id,
            status = record.OutcomeStatus,
            records = record.OutcomeRecords,
            amount = record.OutcomeAmount,
            detail = record.OutcomeDetail,
            violation = excess.Code,
            severity = record.ViolationSeverity?.ToString().ToLowerInvariant(),
            excess = excess.Message,
            declaredRecords = record.Records,
            declaredAmount = record.Amount,
        } as object);

    /// <summary>A tool redeemed the decision's grant: recorded with the redeeming client as the actor.</summary>
    public async Task RecordRedemptionAsync(WardenDbContext db, DecisionRecord record, AuditActor tool, CancellationToken cancellationToken)
    {
        db.Entry(record).Property<int>("Version").CurrentValue++;
        var entry = AuditEntry.Of(tool, "grant.redeemed", record.AgentId, new
        {
            decision = record.Id,
            client = tool.Id,
            digest = record.RequestDigest,
            redeemedAt = record.GrantRedeemedAt,
        });
        await audit.AppendAsync(db, [entry], cancellationToken);
    }

    public async Task<DecisionRecord?> ExpireAsync(WardenDbContext db, string decisionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (record is null || record.State != DecisionState.Pending)
            return record;
        record.State = DecisionState.Expired;
        db.Entry(record).Property<int>("Version").CurrentValue++;
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.System, "decision.expired", record.AgentId, new { decision = record.Id, expiredAt = now })], cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await db.Entry(record).ReloadAsync(cancellationToken);
        }
        return record;
    }

    /// <summary>
    /// The data of a decision's event, written field by field instead of through an anonymous object. The
    /// reasons are written from the stored JSON as a parsed document writes itself (its strings escaped
    /// again, so a vote's time reads as it always did), without a copy of the document.
    /// </summary>
    internal static string EventData(DecisionRecord record, IReadOnlyList<string>? findingKinds)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("decision", record.Id);
            writer.WriteString("tool", record.Tool);
            writer.WriteString("operation", record.Operation);
            writer.WriteString("resource", record.Resource);
            writer.WriteString("outcome", record.Outcome.ToString().ToLowerInvariant());
            writer.WritePropertyName("reasons");
            using (var reasons = JsonDocument.Parse(record.Reasons))
                reasons.RootElement.WriteTo(writer);
            writer.WriteString("riskTier", record.RiskTier);
            writer.WriteString("policyVersion", record.PolicyVersion);
            writer.WriteString("rule", record.MatchedRuleId);
            writer.WriteString("otherRules", record.OtherRuleIds);
            writer.WriteBoolean("violation", record.IsViolation);
            writer.WriteString("severity", record.ViolationSeverity?.ToString().ToLowerInvariant());
            writer.WriteString("digest", record.RequestDigest);
            if (findingKinds is { Count: > 0 })
            {
                writer.WriteStartArray("findings");
                foreach (var kind in findingKinds)
                    writer.WriteStringValue(kind);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNull("findings");
            }
            writer.WriteString("reviewOf", record.ReviewOf);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static AuditEntry Entry(DecisionRecord record, string kind, object data) =>
        AuditEntry.Of(AuditActor.Agent(record.AgentId, record.AgentId), kind, record.AgentId, data);
}
