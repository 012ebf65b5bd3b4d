namespace Warden.Domain.RedTeam;

public static class RedTeamErrors
{
    public static Error UnknownCategory(string? category) => new("redteam.unknown_category",
        $"'{category}' is not a category officers can add cases to; choose one of: {string.Join(", ", RedTeamCategories.All.Where(c => c != RedTeamCategories.GrantReplay))}.");

    public static Error TitleRequired { get; } = new("redteam.title_required", $"Give the case a title of at most {RedTeamCaseRules.MaxTitle} characters.");

    public static Error ToolInvalid { get; } = new("redteam.tool_invalid",
        "Name the tool (lower case, digits, dots, dashes) or one of $read, $write, $delete, $execute, $any for a tool of the agent under test.");

    public static Error OperationInvalid { get; } = new("redteam.operation_invalid", "The operation is one of read, write, delete, execute.");

    public static Error ResourceTooLong { get; } = new("redteam.resource_too_long", "A resource has at most 512 characters.");

    public static Error TextTooLong { get; } = new("redteam.text_too_long", $"A justification has at most {RedTeamCaseRules.MaxText} characters.");

    public static Error ImpactNegative { get; } = new("redteam.impact_negative", "Records and amounts cannot be negative.");

    public static Error CurrencyRequired { get; } = new("redteam.currency_required", "An amount needs its currency as a three-letter code (EUR, USD).");

    public static Error ParametersTooLong { get; } = new("redteam.parameters_too_long", $"Parameters have at most {RedTeamCaseRules.MaxParameters} characters.");

    public static Error ParametersInvalid(string why) => new("redteam.parameters_invalid", $"The parameters are not valid: {why}.");

    public static Error ExpectInvalid { get; } = new("redteam.expect_invalid", "The safe answer is one of deny, hold, mask, not allow.");

    public static Error TooManyCases { get; } = new("redteam.too_many_cases", $"At most {RedTeamCaseRules.MaxCustomCases} cases of your own can be kept; delete one first.");

    public static Error CaseNotFound { get; } = new("redteam.case_not_found", "This case does not exist.");

    public static Error AgentNotFound { get; } = new("redteam.agent_not_found", "This agent does not exist.");

    public static Error ScheduleInvalid { get; } = new("redteam.schedule_invalid", "The schedule is not a valid cron expression (five fields, e.g. 0 3 * * 1 for Mondays at 03:00 UTC).");
}
