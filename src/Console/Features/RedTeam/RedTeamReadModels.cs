using Warden.Domain.RedTeam;

namespace Warden.Features.RedTeam;

/// <summary>
/// One case's outcome in a drill: what Warden answered (<c>allow</c>, <c>pending</c>, <c>deny</c>,
/// <c>refused</c> before a decision), why (the reason and the matching rule, null when no rule
/// matched), and for a miss the rule that would catch it.
/// </summary>
public sealed record CaseOutcome(
    string CaseId,
    string Category,
    string Title,
    bool Custom,
    string Expect,
    string Answer,
    bool Passed,
    string ReasonCode,
    string Reason,
    string? Rule,
    string? Suggestion,
    string Request);

/// <summary>A drill as the page and the evidence pack read it.</summary>
public sealed record DrillReport(
    string Id,
    string AgentId,
    string AgentName,
    int AtLevel,
    DateTimeOffset CompletedAt,
    string CorpusVersion,
    string PolicyVersion,
    string RunBy,
    int Passed,
    int Total,
    double Score,
    IReadOnlyList<CategoryScore> Categories,
    IReadOnlyList<CaseOutcome> Outcomes)
{
    public IReadOnlyList<CaseOutcome> Misses => [.. Outcomes.Where(o => !o.Passed)];
}

/// <summary>A drill in a list: no outcomes.</summary>
public sealed record DrillRow(string Id, string AgentId, string AgentName, DateTimeOffset CompletedAt, string RunBy, int Passed, int Total, double Score);

/// <summary>An agent a drill can run against.</summary>
public sealed record DrillTarget(string Id, string Name, int Level);

/// <summary>A scheduled drill: one agent, or every active agent (<see cref="AgentId"/> null).</summary>
public sealed record DrillSchedule(string JobId, string? AgentId, string Cron);
