using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Features.Decisions.Grants;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>An agent reports what happened, with the decision's single-use grant, bound to the decided request.</summary>
public sealed class OutcomeReports(IDbContextFactory<WardenDbContext> contexts, GrantTokens grants, DecisionJournal journal, AgentTokenGate gate, TimeProvider clock)
{
    public async Task<Result<OutcomeResponse>> ReportAsync(string agentId, string decisionId, OutcomeReportBody body, CancellationToken cancellationToken)
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
        if (!grants.TryRead(body.Grant, out var grant) || !grant.IsFor(record))
            return DecisionErrors.GrantInvalid;
        var now = clock.GetUtcNow();
        if (record.GrantUsedAt is not null)
            return DecisionErrors.GrantUsed;
        if (record.State is not (DecisionState.Allowed or DecisionState.Approved))
            return DecisionErrors.GrantNotUsable(record.State);
        var expiry = DecisionAnswers.GrantExpiry(record);
        if (expiry < now)
            return DecisionErrors.GrantExpired;
        // A containment or a credential revocation voids every grant issued before it, even one
        // approved in the instant between the trip and the cancellation of the agent's approvals.
        if (gate.InvalidatedSince(agentId, expiry - GrantTokens.Lifetime))
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
}
