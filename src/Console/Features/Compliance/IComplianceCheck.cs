namespace Warden.Features.Compliance;

public enum CoverageStatus
{
    NotCovered,
    Partly,
    Met,
}

/// <summary>What a check found: its status and, in plain words, why.</summary>
public sealed record CheckOutcome(CoverageStatus Status, string Reason)
{
    public static CheckOutcome Met(string reason) => new(CoverageStatus.Met, reason);

    public static CheckOutcome Partly(string reason) => new(CoverageStatus.Partly, reason);

    public static CheckOutcome NotCovered(string reason) => new(CoverageStatus.NotCovered, reason);

    /// <summary>All of <paramref name="total"/> good: met; none: not covered; some: partly.</summary>
    public static CheckOutcome Share(int good, int total, string reason) =>
        new(good == total ? CoverageStatus.Met : good == 0 ? CoverageStatus.NotCovered : CoverageStatus.Partly, reason);
}

/// <summary>
/// The records a check reads: a period and the agents in scope (null: every agent), and what the
/// caller already established about the audit chain (null when it did not verify it).
/// </summary>
public sealed record ComplianceScope(DateTimeOffset Start, DateTimeOffset End, IReadOnlySet<string>? AgentIds, bool? ChainVerified)
{
    public bool Covers(string agentId) => AgentIds is null || AgentIds.Contains(agentId);
}

/// <summary>
/// One check of a control, computed on real records of a scope and period. Implementations are
/// registered with <see cref="ComplianceRegistration.AddComplianceCheck{T}"/>; the controls file names
/// them by <see cref="Id"/>. A check that cannot decide throws: the pack then fails rather than
/// claiming coverage it did not establish.
/// </summary>
public interface IComplianceCheck
{
    string Id { get; }

    Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken);
}
