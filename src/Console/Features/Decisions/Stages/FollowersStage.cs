using Warden.Domain;

namespace Warden.Features.Decisions.Stages;

/// <summary>
/// What follows a committed decision: every follower (approvals feed, automatic demotion, breakers,
/// baselines) is told through one event, then the agent gets its answer.
/// </summary>
public sealed class FollowersStage(Followers followers) : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken) =>
        await followers.TellAsync(attempt.Record, attempt.Committed);
}
