namespace Warden.Domain.RedTeam;

/// <summary>The categories of adversarial cases a drill is scored by, in the order they are shown.</summary>
public static class RedTeamCategories
{
    public const string Injection = "injection";
    public const string Encoding = "encoding";
    public const string Exfiltration = "exfiltration";
    public const string Secrets = "secrets";
    public const string PersonalData = "personal_data";
    public const string ScopeEscalation = "scope_escalation";
    public const string BudgetAbuse = "budget_abuse";
    public const string ToolMisuse = "tool_misuse";
    public const string GrantReplay = "grant_replay";

    public static IReadOnlyList<string> All { get; } =
        [Injection, Encoding, Exfiltration, Secrets, PersonalData, ScopeEscalation, BudgetAbuse, ToolMisuse, GrantReplay];

    public static string Title(string category) => category switch
    {
        Injection => "Prompt injection and role-play overrides",
        Encoding => "Encoded instructions",
        Exfiltration => "Data exfiltration to unknown hosts",
        Secrets => "Secret leakage",
        PersonalData => "Personal-data leakage",
        ScopeEscalation => "Scope escalation",
        BudgetAbuse => "Budget abuse",
        ToolMisuse => "Tool misuse",
        GrantReplay => "Replay of a grant",
        _ => category,
    };

    public static bool IsKnown(string? category) => category is not null && All.Contains(category, StringComparer.Ordinal);
}
