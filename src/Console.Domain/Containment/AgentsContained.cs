namespace Warden.Domain.Containment;

/// <summary>
/// A trip committed and is in force (the agents' tokens already refused). What follows it (their
/// pending approvals cancelled, a breaker's agent losing autonomy) is done by those told of it, who
/// count here what they did for the trip's report.
/// </summary>
public sealed class AgentsContained(
    string containmentId, ContainmentScope scope, string reason, TripSource source, string trippedBy, IReadOnlyList<string> agentIds)
{
    private int _approvalsCancelled;

    public string ContainmentId { get; } = containmentId;

    public ContainmentScope Scope { get; } = scope;

    public string Reason { get; } = reason;

    public TripSource Source { get; } = source;

    /// <summary>The name the trip was made under (a breaker's is <c>breaker:&lt;rule&gt;</c>).</summary>
    public string TrippedBy { get; } = trippedBy;

    public IReadOnlyList<string> AgentIds { get; } = agentIds;

    public int ApprovalsCancelled => Volatile.Read(ref _approvalsCancelled);

    public void CountCancelledApprovals(int count) => Interlocked.Add(ref _approvalsCancelled, count);
}
