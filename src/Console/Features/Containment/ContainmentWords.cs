using System.Globalization;
using Warden.Domain.Containment;

namespace Warden.Features.Containment;

/// <summary>Containments put into words for the people who trip and release them.</summary>
public static class ContainmentWords
{
    /// <summary>What a release lifts: "the containment of agent Invoice matcher (2 agents, tripped 2026-12-06 07:00 UTC: Unexpected writes)".</summary>
    public static string Released(ContainmentRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var target = row.Scope == ContainmentScope.Global ? "every agent" : $"{Scope(row.Scope)} {row.TargetLabel}";
        var agents = row.AgentsContained == 1 ? "1 agent" : $"{row.AgentsContained.ToString(CultureInfo.InvariantCulture)} agents";
        var tripped = row.TrippedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return $"the containment of {target} ({agents}, tripped {tripped} UTC by {row.TrippedBy}: {row.Reason})";
    }

    private static string Scope(ContainmentScope scope) => scope switch
    {
        ContainmentScope.Agent => "agent",
        ContainmentScope.Owner => "the agents of",
        ContainmentScope.Segment => "segment",
        _ => "every agent",
    };
}
