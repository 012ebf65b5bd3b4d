using MudBlazor;
using Warden.Domain.People;

namespace Warden.Components.Layout;

public sealed record NavigationEntry(string Title, string Href, string Icon, IReadOnlyList<string> Roles)
{
    public string TestId => $"nav-{Href.Trim('/').Replace('/', '-') switch { "" => "dashboard", var s => s }}";

    /// <summary>Comma-separated for <c>AuthorizeView Roles</c>; empty means any signed-in person.</summary>
    public string? RoleList => Roles.Count == 0 ? null : string.Join(',', Roles);
}

/// <summary>What each role sees in the navigation; the pages enforce the same roles themselves.</summary>
public static class NavigationCatalog
{
    private static readonly string[] Everyone = [];
    private static readonly string[] AllRoles = [.. Warden.Domain.People.Roles.All];

    public static readonly IReadOnlyList<NavigationEntry> Entries =
    [
        new("Dashboard", "/", Icons.Material.Filled.SpaceDashboard, Everyone),
        new("Agents", "/agents", Icons.Material.Filled.SmartToy, AllRoles),
        new("Approvals", "/approvals", Icons.Material.Filled.FactCheck, [Roles.SecurityOfficer, Roles.Auditor]),
        new("Reviews", "/reviews", Icons.Material.Filled.RateReview, [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor]),
        new("Containment", "/containment", Icons.Material.Filled.DoNotDisturbOn, [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor]),
        new("Incidents", "/incidents", Icons.Material.Filled.ReportProblem, [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor]),
        new("Autonomy", "/autonomy", Icons.Material.Filled.TrendingUp, [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor]),
        new("Red team", "/red-team", Icons.Material.Filled.BugReport, [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor]),
        new("Guardrails", "/guardrails", Icons.Material.Filled.Shield, [Roles.SecurityOfficer, Roles.Auditor]),
        new("Policies", "/policies", Icons.Material.Filled.Policy, [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner]),
        new("Gateway", "/gateway", Icons.Material.Filled.Hub, [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner]),
        new("Tool hooks", "/tools", Icons.Material.Filled.Webhook, [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner]),
        new("Audit log", "/audit", Icons.Material.Filled.ReceiptLong, [Roles.SecurityOfficer, Roles.Auditor]),
        new("Evidence", "/evidence", Icons.Material.Filled.PictureAsPdf, [Roles.SecurityOfficer, Roles.Auditor, Roles.Administrator, Roles.AgentOwner]),
        new("Compliance", "/compliance", Icons.Material.Filled.Rule, [Roles.SecurityOfficer, Roles.Auditor]),
        new("Notifications", "/notifications", Icons.Material.Filled.NotificationsActive, AllRoles),
        new("Administration", "/admin/users", Icons.Material.Filled.AdminPanelSettings, [Roles.Administrator]),
    ];

    public static IEnumerable<NavigationEntry> VisibleTo(IReadOnlySet<string> roles) =>
        Entries.Where(e => e.Roles.Count == 0 || e.Roles.Any(roles.Contains));
}
