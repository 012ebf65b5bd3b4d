using Warden.Domain.Approvals;
using Warden.Features.Decisions;

namespace Warden.Features.Approvals;

/// <summary>A request was opened or changed; every open queue on this instance reloads.</summary>
public sealed record ApprovalChange(string RequestId, string DecisionId, string AgentId, ApprovalState State);

/// <summary>
/// The instance's live channel for approvals: queues and badges subscribe to changes, and agents'
/// long-polls wake the moment their decision is resolved instead of waiting for their next look.
/// </summary>
public sealed class ApprovalFeed(DecisionWaiters waiters)
{
    public event Action<ApprovalChange>? Changed;

    public void Publish(ApprovalChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        waiters.Wake(change.DecisionId);
        var handlers = Changed;
        if (handlers is null)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<ApprovalChange>>())
        {
            try
            {
                handler(change);
            }
#pragma warning disable CA1031 // One broken subscriber (a closed circuit) must not stop the others.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
