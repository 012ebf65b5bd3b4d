using Warden.Domain.Decisions;
using Warden.Infrastructure.Events;

namespace Warden.Features.Decisions;

/// <summary>Tells every follower of a committed decision, then gives the agent its answer.</summary>
public sealed class Followers(EventPublisher events, DecisionAnswers answers)
{
    public async Task<DecisionResponse> TellAsync(DecisionRecord record, DecisionCommitted committed)
    {
        // The decision is durable: a caller that gives up now must not stop its followers half-way.
        await events.PublishAsync(committed, CancellationToken.None);
        return answers.For(record);
    }
}
