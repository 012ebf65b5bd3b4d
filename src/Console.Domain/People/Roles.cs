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

    /// <summary>The plural, lower-case name people read in sentences: "security officers".</summary>
    public static string PluralName(string role) => DisplayName(role).ToLowerInvariant() + "s";

    /// <summary>
    /// The role a policy document names, written as code names it (<c>SecurityOfficer</c>) or in snake
    /// case (<c>security_officer</c>); case, underscores, hyphens and spaces do not matter.
    /// </summary>
    public static string? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bare = string.Concat(text.Where(c => c is not ('_' or '-' or ' ')));
        return All.FirstOrDefault(r => string.Equals(r, bare, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The snake-case name a policy document uses: <c>security_officer</c>.</summary>
    public static string PolicyName(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var text = new System.Text.StringBuilder(role.Length + 4);
        foreach (var c in role)
        {
            if (char.IsUpper(c) && text.Length > 0)
                text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
