using Warden.Domain.Autonomy;

namespace Warden.Features.Autonomy;

/// <summary>A promotion request as the autonomy page shows it, with what the viewer may do.</summary>
public sealed record PromotionRow(
    string Id,
    string AgentId,
    string AgentName,
    string OwnerName,
    int FromLevel,
    int ToLevel,
    string RequestedByName,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<CriterionResult> Criteria,
    bool CriteriaMet,
    string? Justification,
    PromotionState State,
    string? DecidedByName,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    bool CanDecide,
    string? WhyCannotDecide);

/// <summary>An agent measured against the criteria of its next level.</summary>
public sealed record AgentReadiness(
    string AgentId,
    string AgentName,
    int Level,
    int? NextLevel,
    IReadOnlyList<CriterionResult> Criteria,
    string? OpenRequestId,
    bool CanRequest)
{
    public bool Ready => NextLevel is not null && Criteria.All(c => c.Passed);

    public IReadOnlyList<string> Missing => Criteria.Where(c => !c.Passed && c.Missing is not null).Select(c => c.Missing!).ToList();
}

/// <summary>One change of an agent's autonomy level.</summary>
public sealed record LevelChangeRow(DateTimeOffset At, string ActorName, bool Promoted, int? FromLevel, int? ToLevel, string? Reason);

/// <summary>An agent's level, what it lets the agent do alone, its readiness for the next level and its history.</summary>
public sealed record AgentAutonomy(int Level, string AllowsAlone, string NeedsApproval, AgentReadiness Readiness, IReadOnlyList<LevelChangeRow> History);

public static class AutonomyLevels
{
    /// <summary>DESIGN section 8, as the engine applies it when no policy rule decides.</summary>
    public static string AllowsAlone(int level) => level switch
    {
        0 => "reads only",
        1 => "reads and low-risk changes within its rate limits, each run at once and reviewed afterwards by its owner or an officer",
        2 => "reads, and low- and medium-risk changes of tools that declare a compensating action (so they can be rolled back)",
        _ => "reads and changes up to high risk, within its impact caps",
    };

    public static string NeedsApproval(int level) => level switch
    {
        0 => "every change",
        1 => "medium-, high- and critical-risk changes",
        2 => "changes of tools without a compensating action, and high- and critical-risk changes",
        _ => "critical-risk changes (two approvers)",
    };

    /// <summary>What a promotion to <paramref name="level"/> would let the agent do, in one sentence.</summary>
    public static string Meaning(int level) => $"At level {level} the agent does alone: {AllowsAlone(level)}; it needs approval for {NeedsApproval(level)}.";
}
