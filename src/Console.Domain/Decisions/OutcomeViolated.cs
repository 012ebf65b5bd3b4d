using Warden.Domain.Autonomy;

namespace Warden.Domain.Decisions;

/// <summary>
/// A reported outcome went beyond its declaration or the agent's caps, and the decision is now
/// recorded as a violation. Breakers count it and a critical one demotes the agent, as for a violation
/// found when deciding; what went beyond the declaration counts toward the totals of the day it was decided.
/// </summary>
public sealed record OutcomeViolated(
    string DecisionId, string AgentId, string OwnerId, string Segment, string Code, ViolationSeverity Severity, DateTimeOffset ReportedAt,
    DateTimeOffset DecidedAt, int ExtraRecords, decimal ExtraAmount);
