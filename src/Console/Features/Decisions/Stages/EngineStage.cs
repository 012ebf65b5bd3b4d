using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Features.Containment;
using Warden.Features.Policies;

namespace Warden.Features.Decisions.Stages;

/// <summary>
/// Containment, limits and usage, policy and autonomy: the pure engine decides under the agent's
/// usage lock, against the containment set and the policy in force as they are at this moment (read
/// after screening, as late as possible).
/// </summary>
public sealed class EngineStage(UsageMeter usage, PublishedPolicy policy, ContainmentRegistry containment, IToolCompensations compensations) : IDecisionStage
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
        var compensation = await compensations.ForAsync(attempt.View, request, cancellationToken);
        attempt.Decision = await usage.DecideAsync(attempt.AgentId, now, request.Impact, seen =>
        {
            attempt.Usage = seen;
            return DecisionEngine.Decide(new DecisionContext(attempt.View, contained, seen, request, findings, current, now)
            {
                PreviewDeclared = attempt.PreviewDeclared,
                Compensation = compensation,
            });
        }, cancellationToken);
        var agent = attempt.Agent;
        if (attempt.Decision.PrimaryReason.Code == DecisionCodes.Contained
            && contained.Covering(attempt.AgentId, agent.OwnerId.Value, agent.Segment) is { } covering)
            containment.NoteRefusalOf(covering.Id, now);
        return null;
    }
}
