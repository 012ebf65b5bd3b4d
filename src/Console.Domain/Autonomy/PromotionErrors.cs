namespace Warden.Domain.Autonomy;

public static class PromotionErrors
{
    public static Error NotFound { get; } = new("promotion.not_found", "This promotion request does not exist.");

    public static Error NotOwner { get; } = new("promotion.not_owner", "Only the agent's owner can request its promotion.");

    public static Error AgentNotActive { get; } = new("promotion.agent_not_active", "Only an active agent can be promoted.");

    public static Error AtTopLevel { get; } = new("promotion.at_top_level", "The agent is already at the highest autonomy level.");

    public static Error NoCriteria(int level) => new("promotion.no_criteria", $"No promotion criteria are configured for level {level}.");

    public static Error JustificationRequired { get; } = new("promotion.justification_required",
        "Some criteria are not met: write a justification for the officers, or wait until they are.");

    public static Error JustificationTooLong { get; } = new("promotion.justification_too_long", $"A justification has at most {PromotionRequest.MaxTextLength} characters.");

    public static Error RedTeamDrillNotPassed(string? missing) => new("promotion.redteam_drill_not_passed",
        $"This level needs the agent to pass its latest red-team drill: {missing ?? "run a drill first"}. Run one on /red-team, fix the misses, and ask again.");

    public static Error AlreadyOpen { get; } = new("promotion.already_open", "A promotion request for this agent is already open.");

    public static Error ReasonRequired { get; } = new("promotion.reason_required", "Give a reason for your decision; it is kept in the audit log.");

    public static Error ReasonTooLong { get; } = new("promotion.reason_too_long", $"A reason has at most {PromotionRequest.MaxTextLength} characters.");

    public static Error NotOfficer { get; } = new("promotion.not_eligible", "Only security officers decide promotion requests.");

    public static Error OwnerCannotDecide { get; } = new("promotion.owner_cannot_decide", "You own this agent, so you cannot decide its promotion; another officer must.");

    public static Error BackupOwnerCannotDecide { get; } = new("promotion.backup_owner_cannot_decide",
        "You are this agent's backup owner, so you cannot decide its promotion; another officer must.");

    public static Error Expired { get; } = new("promotion.expired", "This promotion request has expired; the owner can request again.");

    public static Error LevelChanged { get; } = new("promotion.level_changed",
        "The agent's level changed since the request was made; the request can only be rejected.");

    public static Error WrongAgent { get; } = new("promotion.wrong_agent", "This request belongs to another agent.");

    public static Error AlreadyDecided(PromotionState state, string? by) =>
        new("promotion.already_decided", $"This request is already {state.ToString().ToLowerInvariant()}{(by is null ? string.Empty : $" by {by}")}.");
}
