using Warden.Domain.People;

namespace Warden.Domain.Agents;

public static class AgentErrors
{
    public static readonly Error NameRequired = new("agent.name_required", "Give the agent a name.");
    public static readonly Error NameTooLong = new("agent.name_too_long", $"A name has at most {AgentProfile.MaxNameLength} characters.");
    public static readonly Error PurposeRequired = new("agent.purpose_required", "Say what the agent is for.");
    public static readonly Error PurposeTooLong = new("agent.purpose_too_long", $"A purpose has at most {AgentProfile.MaxPurposeLength} characters.");
    public static readonly Error ToolsRequired = new("agent.tools_required", "Declare at least one tool the agent calls.");
    public static readonly Error InvalidRateLimit = new("agent.invalid_rate_limit", $"The rate limit is 1 to {AgentProfile.MaxRateLimitPerMinute} requests per minute.");
    public static readonly Error NegativeCap = new("agent.negative_cap", "Caps and budgets cannot be negative.");
    public static readonly Error CurrencyRequired = new("agent.currency_required", "Amount caps need a three-letter currency code such as EUR.");
    public static readonly Error PerActionAboveDaily = new("agent.cap_above_budget", "A per-action cap cannot exceed the daily budget.");
    public static readonly Error BackupIsOwner = new("agent.backup_is_owner", "The backup owner must be a different person from the owner.");
    public static readonly Error Retired = new("agent.retired", "The agent is retired; nothing about it can change.");
    public static readonly Error ReasonRequired = new("agent.reason_required", "Give a reason.");
    public static readonly Error NotOwner = new("agent.not_owner", "Only the agent's owner can do this.");
    public static readonly Error NoTransferPending = new("agent.no_transfer_pending", "No ownership transfer is waiting for you.");
    public static readonly Error AlreadyOwner = new("agent.already_owner", "That person already owns the agent.");
    public static readonly Error ContainedOnlyByContainment = new("agent.contained", "The agent is contained; only a containment release can change its status.");

    public static readonly Error OwnerCannotActivate =
        new("agent.owner_cannot_activate", "You own this agent, so another officer must activate it.");

    public static Error NotPendingReview(AgentStatus status) =>
        new("agent.not_pending_review", $"The agent is {status.ToString().ToLowerInvariant()}, not waiting for review.");

    public static Error MatchesEverything(string pattern) =>
        new("agent.scope_matches_everything",
            $"Scope '{pattern}' matches every resource. Name the resources the agent works on, for example crm/accounts/*; only an officer can grant a scope this broad.");

    public static Error InvalidSegment(string? segment) =>
        new("agent.invalid_segment", $"Segment '{segment}' must be 1 to 50 lower-case letters, digits or '-'.");

    public static Error InvalidTag(string tag) =>
        new("agent.invalid_tag", $"Tag '{tag}' must be 1 to 40 lower-case letters, digits, ':', '_' or '-'.");

    public static Error TooMany(string what, int max) => new("agent.too_many", $"At most {max} {what}.");

    public static Error InvalidToolName(string? name) =>
        new("agent.invalid_tool_name", $"Tool name '{name}' must start with a letter and use lower-case letters, digits, '_', '.' or '-' (64 at most).");

    public static Error ToolWithoutOperations(string name) => new("agent.tool_without_operations", $"Tool '{name}' needs at least one operation.");

    public static Error InvalidRisk(string name) => new("agent.invalid_risk", $"Tool '{name}' has no valid risk tier.");

    public static Error InvalidToolSchema(string name) =>
        new("agent.invalid_tool_schema", $"The parameter schema of tool '{name}' is not a JSON object.");

    public static Error SchemaRegexNotAllowed(string name) =>
        new("agent.invalid_tool_schema", $"The parameter schema of tool '{name}' uses 'pattern', 'patternProperties' or format 'regex'; regular expressions are not allowed in tool schemas because they can stall decisions.");

    public static Error DuplicateTool(string name) => new("agent.duplicate_tool", $"Tool '{name}' is declared twice.");

    public static Error InvalidScope(string? pattern, string rule) =>
        new("agent.invalid_scope", $"Scope '{pattern}' is not valid: {rule}.");

    public static Error NotEligibleOwner(UserId person) =>
        new("agent.owner_not_eligible", $"{person} cannot own agents: they must be an active person with the Agent owner role.");

    public static Error InvalidAutonomyLevel(int level) =>
        new("agent.invalid_autonomy_level", $"Autonomy level {level} does not exist; levels run from 0 to {Agent.MaxAutonomyLevel}.");

    public static Error SameAutonomyLevel(int level) =>
        new("agent.same_autonomy_level", $"The agent is already at autonomy level {level}.");

    public static Error InvalidTransition(AgentStatus from, string action) =>
        new("agent.invalid_transition", $"A {from.ToString().ToLowerInvariant()} agent cannot be {action}.");
}
