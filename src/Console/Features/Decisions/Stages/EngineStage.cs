using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Features.Containment;
using Warden.Features.Policies;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Features.Decisions.Stages;

/// <summary>
/// Containment, limits and usage, policy and autonomy: the pure engine decides under the agent's
/// usage lock, against the containment set and the policy in force as they are at this moment (read
/// after screening, as late as possible).
/// </summary>
public sealed class EngineStage(
    UsageMeter usage, PublishedPolicy policy, ContainmentRegistry containment, AgentTokenGate gate, IToolCompensations compensations) : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        if (!policy.IsVerified)
            return DecisionErrors.PolicyUnverified;
        var current = policy.Current;
        var contained = containment.Current;
        attempt.DecidedUnder = contained;
        var findings = attempt.Screening.ForPolicy();
        var request = attempt.Request;
        var now = attempt.Now;
        attempt.Policy = current;
        var agent = attempt.Agent;
        // The token gate refuses this agent's tokens now. A request that passed the gate just before
        // the trip (and may have been decided once already, then overtaken at its commit) is answered
        // as one arriving after it: refused as contained and counted on the trip, not recorded as a
        // decision (ADR 0036).
        if (gate.IsContained(attempt.AgentId))
            return RefusedAsTheGateRefuses(attempt.AgentId, now);
        if (contained.Covering(attempt.AgentId, agent.OwnerId.Value, agent.Segment) is { } covering)
        {
            // Containment comes before limits: a contained agent's request is refused without taking
            // its usage (on a shared database, a row lock and a commit that other requests of the agent
            // queue behind), and counts as none (UsageMeter.Counts).
            attempt.Usage = UsageView.None;
            attempt.Decision = DecisionEngine.Decide(new DecisionContext(attempt.View, contained, UsageView.None, request, findings, current, now));
            if (attempt.Decision.PrimaryReason.Code == DecisionCodes.Contained)
                containment.NoteRefusalOf(covering.Id, now);
            return null;
        }
        var compensation = await compensations.ForAsync(attempt.View, request, cancellationToken);
        var containedMeanwhile = false;
        attempt.Decision = await usage.DecideAsync(attempt.AgentId, now, request.Impact, seen =>
        {
            attempt.Usage = seen;
            // The agent's other requests may have held its usage until now, and a trip come meanwhile.
            if (gate.IsContained(attempt.AgentId))
            {
                containedMeanwhile = true;
                return new Decision(DecisionOutcome.Deny, [new DecisionReason(DecisionCodes.Contained, "The agent is contained.")], null, current.Version);
            }
            return DecisionEngine.Decide(new DecisionContext(attempt.View, contained, seen, request, findings, current, now)
            {
                PreviewDeclared = attempt.PreviewDeclared,
                Compensation = compensation,
            });
        }, cancellationToken);
        return containedMeanwhile ? RefusedAsTheGateRefuses(attempt.AgentId, now) : null;
    }

    private Result<DecisionResponse> RefusedAsTheGateRefuses(string agentId, DateTimeOffset now)
    {
        containment.NoteRefusal(agentId, now);
        return DecisionErrors.Contained(containment.ReasonFor(agentId) ?? "The agent is contained; its tokens are refused.");
    }
}
