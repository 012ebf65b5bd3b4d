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
    DecisionRecorder recorder, IdempotencyStage idempotency, ContainmentRegistry containment, AgentTokenGate gate, AgentTokenGateLoader gateLoader, UsageMeter usage, ILogger<RecordStage> logger)
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
                // A notice that another instance contained the agent withdraws the decision while it waits
                // for its turn: the other instance's trip holds the chain until it commits, and the
                // notice arrives then, so the request need not wait for the turn to be refused.
                attempt.Epoch, cancellationToken, withdrawnBy: new Withdrawal(gate.NoticeSignal(attempt.AgentId)));
            attempt.Record = record;
            return null;
        }
        catch (Exception ex) when (ex is ContainedSinceDecidedException or AuditItemWithdrawnException)
        {
            // The agent is contained: decided again, the request is refused, and no usage is read until
            // the agent is released. What it counted is given back without holding up that refusal.
            _ = GiveBackAsync(attempt);
            attempt.DecideAgain = true;
            return null;
        }
        catch (StaleStateException stale)
        {
            attempt.DecideAgain = true;
            // An agent another instance contained is decided again at once (and refused): nothing the
            // view has yet to read could make its request an allow. The notice may still be on its way
            // (or its connection cut), so the agent's status is read here rather than waited for.
            if (await gateLoader.ReadContainmentAsync(attempt.AgentId, stale.Epoch, CancellationToken.None))
            {
                _ = GiveBackAsync(attempt);
                return null;
            }
            // Decided again under the newer state, it counts again: what it counted first goes back before.
            await GiveBackAsync(attempt);
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

    /// <summary>The decision was not recorded: what it counted is given back (the request counts once, when it is recorded). Never throws.</summary>
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
