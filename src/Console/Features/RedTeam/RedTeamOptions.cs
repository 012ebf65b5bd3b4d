using System.ComponentModel.DataAnnotations;

namespace Warden.Features.RedTeam;

/// <summary>Red-team drills (section <c>RedTeam</c>).</summary>
public sealed class RedTeamOptions
{
    public const string SectionName = "RedTeam";

    /// <summary>How many drills the page lists, newest first.</summary>
    [Range(1, 1000)]
    public int ListedDrills { get; set; } = 50;
}
