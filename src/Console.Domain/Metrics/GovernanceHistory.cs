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

public sealed record ApprovalFact(string AgentId, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt);

/// <summary>An anomaly alert; caught before execution when the anomalous request never ran.</summary>
public sealed record AnomalyFact(string AgentId, DateTimeOffset DetectedAt, bool CaughtBeforeExecution);

/// <summary>A completed evidence pack. Target is the agent or owner id for those scopes, null otherwise.</summary>
public sealed record EvidenceFact(ContainmentTarget? Scope, string? Target, DateTimeOffset CompletedAt, int CompletenessPercent, TimeSpan AssemblyTime);

/// <summary>Everything the governance metrics are computed from, for a period and the one before it.</summary>
public sealed record GovernanceHistory(
    IReadOnlyDictionary<string, string> OwnerOfAgent,
    IReadOnlyList<DecisionTally> Decisions,
    IReadOnlyList<DateTimeOffset> UnsafeAttemptTimes,
    IReadOnlyList<ContainmentFact> Containments,
    IReadOnlyList<ApprovalFact> Approvals,
    IReadOnlyList<AnomalyFact> Anomalies,
    IReadOnlyList<EvidenceFact> Evidence);
