using Warden.Domain.Decisions;

namespace Warden.Features.Decisions;

/// <summary>What an agent has been doing: its latest decisions and today's use of its limits.</summary>
public sealed record AgentActivity(
    string AgentId,
    DateTimeOffset? LastSeenAt,
    ActivityCounters Today,
    IReadOnlyList<RecentDecisionRow> RecentDecisions);

/// <summary>Today (UTC) in numbers; a null budget means the agent has no cap.</summary>
public sealed record ActivityCounters(
    int Allowed,
    int Denied,
    int Pending,
    long RecordsUsed,
    long? RecordBudget,
    decimal AmountUsed,
    decimal? AmountBudget,
    string? Currency,
    int RequestsThisMinute,
    int RateLimitPerMinute);

public sealed record RecentDecisionRow(
    string Id,
    DateTimeOffset DecidedAt,
    string Tool,
    string Operation,
    string Resource,
    DecisionOutcome Outcome,
    DecisionState State,
    string? ReasonCode,
    string? ReasonMessage,
    string? RiskTier,
    string PolicyVersion,
    DecisionOutcome? OutputReview = null);
