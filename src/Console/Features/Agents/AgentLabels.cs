using System.Globalization;
using MudBlazor;
using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Features.Agents;

/// <summary>How the agent pages name and colour statuses, levels and risk tiers.</summary>
public static class AgentLabels
{
    public const string Readers = $"{Roles.Administrator},{Roles.SecurityOfficer},{Roles.AgentOwner},{Roles.Auditor}";
    public const string Registrars = $"{Roles.SecurityOfficer},{Roles.AgentOwner}";
    public const string Exporters = $"{Roles.Administrator},{Roles.SecurityOfficer},{Roles.Auditor}";

    public static readonly IReadOnlyList<int> Levels = [0, 1, 2, 3];

    public static string Level(int level) => level switch
    {
        0 => "0 · Assisted",
        1 => "1 · Co-pilot",
        2 => "2 · Semi-autonomous",
        3 => "3 · Autonomous",
        _ => level.ToString(CultureInfo.InvariantCulture),
    };

    public static Color StatusColor(AgentStatus status) => status switch
    {
        AgentStatus.Active => Color.Success,
        AgentStatus.Suspended => Color.Warning,
        AgentStatus.Contained => Color.Error,
        AgentStatus.PendingReview => Color.Info,
        _ => Color.Default,
    };

    public static Color RiskColor(RiskTier risk) => risk switch
    {
        RiskTier.Low => Color.Default,
        RiskTier.Medium => Color.Info,
        RiskTier.High => Color.Warning,
        _ => Color.Error,
    };

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
