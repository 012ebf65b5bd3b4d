using System.Buffers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Containment;
using Warden.Features.Decisions.Provenance;
using Warden.Features.Decisions.Stages;
using Warden.Features.Guardrails;
using Warden.Features.Policies;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// Reviews what an agent is about to release after an allowed action: the same scanners, then
/// the policy's content rules. The review is a decision of its own (no grant): allow releases (with
/// what mask rules count masked, and a signed provenance), deny holds back, pending waits for
/// officers like any other approval.
/// </summary>
public sealed class OutputReviews(
    IDbContextFactory<WardenDbContext> contexts,
    LiveAgents agents,
    AgentViews views,
    GuardedScreening screening,
    PublishedPolicy policy,
    ContainmentRegistry containment,
    DecisionRecorder recorder,
    OutputReleases releases,
    Followers followers,
    StateEpoch state,
    TimeProvider clock,
    ILogger<OutputReviews> logger)
{
    /// <param name="with">More rows and events that commit with the review, or not at all (the gateway's outcome and forward).</param>
    public async Task<Result<DecisionResponse>> ReviewAsync(
        string agentId, string decisionId, OutputReviewBody body, CancellationToken cancellationToken, AuditAddition? with = null)
    {
        if (body.Output is not { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null })
            return DecisionErrors.Invalid("output is required: the text or JSON the agent is about to release.");
        DecisionRecord? action;
        await using (var db = contexts.CreateDbContext())
            action = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId && d.AgentId == agentId, cancellationToken);
        return action is null ? DecisionErrors.NotFound(decisionId) : await ReviewAsync(agentId, action, body, cancellationToken, with);
    }

    /// <summary>
    /// Reviews the output of <paramref name="action"/>, a decision of <paramref name="agentId"/> the
    /// caller has just read (the gateway, with the outcome it commits with the review).
    /// </summary>
    public async Task<Result<DecisionResponse>> ReviewAsync(
        string agentId, DecisionRecord action, OutputReviewBody body, CancellationToken cancellationToken, AuditAddition? with = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (body.Output is not { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } output)
            return DecisionErrors.Invalid("output is required: the text or JSON the agent is about to release.");
        if (action.AgentId != agentId)
            return DecisionErrors.NotFound(action.Id);
        if (action.ReviewOf is not null)
            return DecisionErrors.Invalid("This decision is itself an output review; review the output of the action's decision.");
        if (action.State is not (DecisionState.Allowed or DecisionState.Approved or DecisionState.Completed) || action.Outcome == DecisionOutcome.Deny)
            return DecisionErrors.Invalid($"Only the output of an allowed action is reviewed; this decision is {action.State.ToString().ToLowerInvariant()}.");
        if (!Domain.Agents.AgentId.TryParse(agentId, out var id))
            return DecisionErrors.UnknownAgent;
        // The agent as the decision path reads it: the in-memory copy, refused when its settings were changed outside Warden.
        var agent = await agents.GetAsync(id, cancellationToken);
        if (agent is null)
            return agents.IsRefused(id) ? DecisionErrors.AgentSettingsUnverified : DecisionErrors.UnknownAgent;

        var now = clock.GetUtcNow();
        var view = views.Of(agent, now);
        var destination = OutputDestination.Undeclared;
        if (!string.IsNullOrWhiteSpace(body.Destination))
        {
            if (OutboundPersonalData.HostOf(body.Destination) is not { } host)
                return DecisionErrors.Invalid("destination names where the output goes: a host, an e-mail address or a URL.");
            destination = new OutputDestination(host, view.InScope(host) || view.InScope(host + "/outbound"));
        }
        var wrapped = Wrap(output);
        var screened = await screening.ScreenAsync(agentId, view, action.Tool, RequestScreening.OutputStage, wrapped, null, cancellationToken);
        if (screened is null)
            return DecisionErrors.Unavailable;
        var request = DecisionRequest.Create(action.Tool, action.Operation, action.Resource, RequestImpact.None, null);
        if (request.IsFailure)
            return request.Error;
        // Reviewed again if a trip overtakes the review before it is recorded; refused after three.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var epoch = state.View;
            if (!await state.EnsureCurrentAsync(cancellationToken))
                return DecisionErrors.StateBehind;
            var decidedUnder = containment.Current;
            var decision = DecisionEngine.ReviewOutput(new DecisionContext(view, decidedUnder, UsageView.None, request.Value, screened.ForPolicy(), policy.Current, now)
            {
                Destination = destination,
            });
            var record = NewReview(agentId, action, request.Value, decision, wrapped, screened, now);
            ReleaseBody? release = null;
            AuditAddition? released = null;
            if (decision.IsAllowed)
            {
                var prepared = releases.Prepare(record, action, agent.Name, wrapped, screened, decision, destination.Host, now);
                if (prepared.IsSuccess)
                {
                    (release, released) = prepared.Value;
                }
                else
                {
                    // Fail closed: what cannot be scrubbed and signed is not released, and the refusal is what is recorded.
                    decision = new Decision(DecisionOutcome.Deny, [new DecisionReason(DecisionCodes.OutputWithheld, prepared.Error.Message)],
                                            decision.RiskTier, decision.PolicyVersion, MatchedRuleId: decision.MatchedRuleId);
                    record = NewReview(agentId, action, request.Value, decision, wrapped, screened, now);
                }
            }
            try
            {
                var committed = await recorder.RecordAsync(record, decision, agent, screened, RequestScreening.OutputStage, now,
                    () => containment.StillHolds(decidedUnder, agentId, agent.OwnerId.Value, agent.Segment), epoch, cancellationToken,
                    AuditAddition.Join(with, released));
                var answer = await followers.TellAsync(record, committed);
                return release is null ? answer : answer with { Release = release };
            }
            catch (ContainedSinceDecidedException)
            {
            }
            catch (StaleStateException stale)
            {
                if (!await state.CatchUpAsync(stale.Epoch, cancellationToken))
                    return DecisionErrors.StateBehind;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                DecisionLog.RecordFailed(logger, ex, agentId);
                return DecisionErrors.Unavailable;
            }
        }
        return DecisionErrors.Unavailable;
    }

    private DecisionRecord NewReview(string agentId, DecisionRecord action, DecisionRequest request, Decision decision, JsonElement wrapped, Screening screened, DateTimeOffset now)
    {
        var record = recorder.NewRecord(agentId, request, decision, RequestDigest.OfValue(wrapped), null, now);
        record.Resource = action.Resource;
        record.ReviewOf = action.Id;
        recorder.MaskContent(record, wrapped, null, screened);
        if (record.State == DecisionState.Allowed)
            record.ExpiresAt = null;
        return record;
    }

    private static JsonElement Wrap(JsonElement output)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("output");
            output.WriteTo(writer);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
