namespace Warden.Domain.Metrics;

/// <summary>Decisions of one agent in one period, counted in the database: the volume the metrics need without the rows.</summary>
public sealed record DecisionTally(string AgentId, bool InCurrentPeriod, long ToolCalls, long OutsideAllowlist, long UnsafeAttempts);

/// <summary>One trip (or drill) and how long it took to contain; Target is the agent or owner id for those scopes.</summary>
public sealed record ContainmentFact(ContainmentTarget Scope, string Target, DateTimeOffset TrippedAt, TimeSpan? TimeToContain, bool Drill);

public enum ContainmentTarget
{
    Agent,
    Owner,
    Segment,
    Global,
}

/// <summary>An approval request; Decided when an officer resolved it (expired and cancelled ones count in the queue, not in the latency).</summary>
/// <summary>When an agent tried something unsafe (a violation), for the period's chart.</summary>
public readonly record struct UnsafeAttempt(string AgentId, DateTimeOffset At);

public sealed record ApprovalFact(string AgentId, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt, bool Decided = true);

/// <summary>An anomaly alert; caught before execution when the anomalous request never ran.</summary>
public sealed record AnomalyFact(string AgentId, DateTimeOffset DetectedAt, bool CaughtBeforeExecution);

/// <summary>A completed evidence pack. Target is the agent or owner id for those scopes, null otherwise.</summary>
public sealed record EvidenceFact(ContainmentTarget? Scope, string? Target, DateTimeOffset CompletedAt, int CompletenessPercent, TimeSpan AssemblyTime);

/// <summary>Everything the governance metrics are computed from, for a period and the one before it.</summary>
public sealed record GovernanceHistory(
    IReadOnlyDictionary<string, string> OwnerOfAgent,
    IReadOnlyList<DecisionTally> Decisions,
    IReadOnlyList<UnsafeAttempt> UnsafeAttempts,
    IReadOnlyList<ContainmentFact> Containments,
    IReadOnlyList<ApprovalFact> Approvals,
    IReadOnlyList<AnomalyFact> Anomalies,
    IReadOnlyList<EvidenceFact> Evidence);
