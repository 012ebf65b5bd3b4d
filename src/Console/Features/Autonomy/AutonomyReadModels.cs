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
        1 => "reads and low-risk changes within its rate limits",
        2 => "reads, low- and medium-risk changes",
        _ => "reads and changes up to high risk, within its impact caps",
    };

    public static string NeedsApproval(int level) => level switch
    {
        0 => "every change",
        1 => "medium-, high- and critical-risk changes",
        2 => "high- and critical-risk changes",
        _ => "critical-risk changes (two approvers)",
    };
}
