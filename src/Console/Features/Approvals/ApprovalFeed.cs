using System.Collections.Concurrent;
using Warden.Domain.Approvals;

namespace Warden.Features.Approvals;

/// <summary>A request was opened or changed; every open queue on this instance reloads.</summary>
public sealed record ApprovalChange(string RequestId, string DecisionId, string AgentId, ApprovalState State);

/// <summary>
/// The instance's live channel for approvals: queues and badges subscribe to changes, and agents'
/// long-polls wake the moment their decision is resolved instead of waiting for their next look.
/// </summary>
public sealed class ApprovalFeed
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    public event Action<ApprovalChange>? Changed;

    public void Publish(ApprovalChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (_waiters.TryRemove(change.DecisionId, out var waiter))
            waiter.TrySetResult();
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

    /// <summary>Completes when <paramref name="decisionId"/> changes, or when <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(string decisionId, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero)
            return;
        var waiter = _waiters.GetOrAdd(decisionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await waiter.Task.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            // Leave nothing behind: a caller that comes back registers a fresh waiter.
            _waiters.TryRemove(new KeyValuePair<string, TaskCompletionSource>(decisionId, waiter));
        }
    }
}
