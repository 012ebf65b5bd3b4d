using System.Collections.Concurrent;

namespace Warden.Features.Decisions;

/// <summary>Agents' long-polls on this instance wake the moment their decision changes instead of at their next look.</summary>
public sealed class DecisionWaiters
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    public void Wake(string decisionId)
    {
        if (_waiters.TryRemove(decisionId, out var waiter))
            waiter.TrySetResult();
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

/// <summary>Expires a held decision whose time is up together with its approval request; the approvals feature provides it.</summary>
public interface IApprovalExpiry
{
    /// <summary>True when the request was expired now (and its decision with it).</summary>
    Task<bool> ExpireAsync(string requestId, CancellationToken cancellationToken);
}
