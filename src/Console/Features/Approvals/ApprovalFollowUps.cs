using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Notifications;
using Warden.Infrastructure.Events;

namespace Warden.Features.Approvals;

/// <summary>
/// What approvals do when others act: a held decision's request reaches the queues and the officers'
/// webhook; a trip cancels its agents' pending requests before the trip is reported.
/// </summary>
public sealed class ApprovalFollowUps(ApprovalLapses lapses, ApprovalFeed feed, Notifier notifier)
    : IEventHandler<DecisionCommitted>, IEventHandler<AgentsContained>
{
    public Task HandleAsync(DecisionCommitted happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        if (happened.Approval is { } opened)
        {
            notifier.Dispatch([opened.NotificationId]);
            feed.Publish(new ApprovalChange(opened.RequestId, happened.DecisionId, happened.AgentId, opened.State));
        }
        return Task.CompletedTask;
    }

    public async Task HandleAsync(AgentsContained happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        var cancelled = happened.Scope == ContainmentScope.Global
            ? await lapses.CancelAllAsync($"every agent was contained: {happened.Reason}", cancellationToken)
            : await lapses.CancelForAgentsAsync(happened.AgentIds, $"the agent was contained: {happened.Reason}", cancellationToken);
        happened.CountCancelledApprovals(cancelled);
    }
}
