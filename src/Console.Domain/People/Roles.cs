namespace Warden.Domain.People;

/// <summary>The human roles of the console. One person may hold several.</summary>
public static class Roles
{
    public const string Administrator = nameof(Administrator);
    public const string SecurityOfficer = nameof(SecurityOfficer);
    public const string AgentOwner = nameof(AgentOwner);
    public const string Auditor = nameof(Auditor);

    public static readonly IReadOnlyList<string> All = [Administrator, SecurityOfficer, AgentOwner, Auditor];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static string DisplayName(string role) => role switch
    {
        SecurityOfficer => "Security officer",
        AgentOwner => "Agent owner",
        _ => role,
    };
}
