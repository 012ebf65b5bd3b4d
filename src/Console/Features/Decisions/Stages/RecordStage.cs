using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Containment;
using Warden.Features.Guardrails;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Cluster;

namespace Warden.Features.Decisions.Stages;

/// <summary>
/// Record: the decision and its audit event are durable before any answer leaves. A write that
/// fails refuses; a concurrent request with the same key that won the insert is answered as it was;
/// an allow or a hold whose agent was contained since it was decided, or that was decided under an
/// older state epoch than the one in force at the commit, is not written but decided again.
/// </summary>
public sealed class RecordStage(
    DecisionRecorder recorder, IdempotencyStage idempotency, ContainmentRegistry containment, AgentTokenGate gate, UsageMeter usage, ILogger<RecordStage> logger)
    : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        var request = attempt.Request;
        var screened = attempt.Screening;
        var record = recorder.NewRecord(attempt.AgentId, request, attempt.Decision, attempt.Digest, attempt.IdempotencyKey, attempt.Now);
        recorder.MaskContent(record, attempt.Body.Parameters, request.Justification, screened);
        if (attempt.DecisionId is { } id)
            record.Id = id;
        if (attempt.Preview is { } preview)
        {
            record.Preview = preview.MaskedJson;
            record.PreviewDigest = preview.Digest;
        }
        try
        {
            var agent = attempt.Agent;
            attempt.Committed = await recorder.RecordAsync(record, attempt.Decision, agent, screened, RequestScreening.RequestStage, attempt.Now,
                // In the writer's turn: no trip since the decision covers the agent, and the token gate
                // (told of trips elsewhere on notice) does not refuse it.
                () => containment.StillHolds(attempt.DecidedUnder, attempt.AgentId, agent.OwnerId.Value, agent.Segment) && !gate.IsContained(attempt.AgentId),
                attempt.Epoch, cancellationToken);
            attempt.Record = record;
            return null;
        }
        catch (ContainedSinceDecidedException)
        {
            await GiveBackAsync(attempt);
            attempt.DecideAgain = true;
            return null;
        }
        catch (StaleStateException stale)
        {
            await GiveBackAsync(attempt);
            attempt.DecideAgain = true;
            // An agent another instance was noticed to contain is decided again at once (and refused):
            // nothing the view has yet to read could make its request an allow.
            if (!gate.IsContained(attempt.AgentId))
                attempt.DecideAgainUnder = stale.Epoch;
            return null;
        }
        catch (AuditCommitException ex) when (attempt.IdempotencyKey is not null && ex.InnerException is DbUpdateException)
        {
            await GiveBackAsync(attempt);
            var winner = await idempotency.EarlierAnswerAsync(attempt.AgentId, attempt.IdempotencyKey, attempt.Digest, cancellationToken);
            return winner ?? DecisionErrors.Unavailable;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DecisionLog.RecordFailed(logger, ex, attempt.AgentId);
            await GiveBackAsync(attempt);
            return DecisionErrors.Unavailable;
        }
    }

    /// <summary>The decision was not recorded: what it counted is given back (the request counts once, when it is recorded).</summary>
    private async Task GiveBackAsync(DecisionAttempt attempt)
    {
        if (!UsageMeter.Counts(attempt.Decision))
            return;
        try
        {
            await usage.GiveBackAsync(attempt.AgentId, attempt.Now, attempt.Request.Impact, attempt.Decision.Outcome == DecisionOutcome.Allow);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Counting too much only refuses sooner: the refusal or the decision again still stands.
            DecisionLog.RecordFailed(logger, ex, attempt.AgentId);
        }
    }
}
