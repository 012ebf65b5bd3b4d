using Warden.Domain;
using Warden.Features.Decisions.Stages;
using Warden.Infrastructure.Cluster;

namespace Warden.Features.Decisions;

/// <summary>
/// The agent-facing decision path (DESIGN section 5). A request goes through the stages below in
/// order; the first that answers ends it. Every fault on the way is a refusal, never an allow.
/// </summary>
public sealed class DecisionPipeline
{
    /// <summary>The pipeline, in order.</summary>
    public static readonly IReadOnlyList<Type> Stages =
    [
        typeof(RequestShapeStage),    // shape: a malformed request is a 400, bound to its digest otherwise
        typeof(IdempotencyStage),     // a key seen before answers as it was answered
        typeof(AgentStage),           // identity and lifecycle
        typeof(ParameterSchemaStage), // the declared tool's parameter schema
        typeof(ScreeningStage),       // guardrails: injection, secrets, personal data
        typeof(PreviewStage),         // the tool's preview hook; the agent's preview, screened
        typeof(EngineStage),          // containment, limits and usage, policy, autonomy: the pure engine
        typeof(PreviewFetchStage),    // a held request's preview from the tool, then decided again with it
        typeof(RecordStage),          // durable, with its audit event, before any answer
        typeof(FollowersStage),       // what follows a committed decision, told through one event
    ];

    /// <summary>How often a request is decided again because a trip overtook it before giving up (refusing).</summary>
    private const int MaxDecisions = 3;

    private readonly IDecisionStage[] _stages;
    private readonly int _engine;
    private readonly int _agent;
    private readonly KeyedLocks _keys;
    private readonly StateEpoch _state;

    public DecisionPipeline(IEnumerable<IDecisionStage> stages, KeyedLocks keys, StateEpoch state)
    {
        var registered = stages.ToDictionary(s => s.GetType());
        _stages = [.. Stages.Select(type => registered.TryGetValue(type, out var stage)
            ? stage
            : throw new InvalidOperationException($"The decision stage {type.Name} is not registered."))];
        _engine = Array.FindIndex(_stages, s => s is EngineStage);
        _agent = Array.FindIndex(_stages, s => s is AgentStage);
        _keys = keys;
        _state = state;
    }

    public async Task<Result<DecisionResponse>> DecideAsync(string agentId, DecisionRequestBody body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var attempt = new DecisionAttempt(agentId, body, idempotencyKey);
        if (idempotencyKey is null)
            return await RunAsync(attempt, cancellationToken);
        // Requests sharing a key wait for each other, so a retry storm cannot race the first insert
        // (which would fail the whole group commit the insert travels in).
        using var _ = await _keys.AcquireAsync($"{agentId}\n{idempotencyKey}", cancellationToken);
        return await RunAsync(attempt, cancellationToken);
    }

    /// <summary>
    /// As <see cref="DecideAsync"/> without an idempotency key, for a caller in this process that acts
    /// on the decision itself (the MCP gateway): the answer, and the record as this call committed it,
    /// or null when the answer came from anywhere else.
    /// </summary>
    public async Task<Result<RecordedDecision>> DecideRecordedAsync(string agentId, DecisionRequestBody body, CancellationToken cancellationToken)
    {
        var attempt = new DecisionAttempt(agentId, body, null);
        var answer = await RunAsync(attempt, cancellationToken);
        if (answer.IsFailure)
            return answer.Error;
        return new RecordedDecision(answer.Value, attempt.Record is { } record && record.Id == answer.Value.Id ? record : null);
    }

    private async Task<Result<DecisionResponse>> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        var decisions = 1;
        for (var i = 0; i < _stages.Length; i++)
        {
            if (await _stages[i].RunAsync(attempt, cancellationToken) is { } answer)
                return answer;
            if (!attempt.DecideAgain)
                continue;
            // A trip overtook the decision: decide again against the containment now in force. A newer
            // state epoch (a change here or on another instance): decide again from identity and
            // lifecycle on, once this instance's view reflects it.
            attempt.DecideAgain = false;
            if (++decisions > MaxDecisions)
                return DecisionErrors.Unavailable;
            if (attempt.DecideAgainUnder is { } epoch)
            {
                attempt.DecideAgainUnder = null;
                if (!await _state.CatchUpAsync(epoch, cancellationToken))
                    return DecisionErrors.StateBehind;
                i = _agent - 1;
                continue;
            }
            i = _engine - 1;
        }
        throw new InvalidOperationException("The last decision stage must answer.");
    }
}

/// <summary>A decision's answer, and the record as the call that answered it committed it (null when it did not commit one).</summary>
public sealed record RecordedDecision(DecisionResponse Answer, DecisionRecord? Record);
