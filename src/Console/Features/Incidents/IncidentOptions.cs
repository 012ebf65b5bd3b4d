using System.ComponentModel.DataAnnotations;

namespace Warden.Features.Incidents;

public sealed class IncidentOptions
{
    public const string SectionName = "Incidents";

    /// <summary>How far back from a trip the first anomaly or violation of its agents is looked for.</summary>
    [Range(1, 7 * 24 * 60)]
    public int DetectionWindowMinutes { get; set; } = 60;

    /// <summary>Trips older than this when the opener first sees them open no incident (a database that had trips before incidents existed).</summary>
    [Range(1, 3650)]
    public int OpenTripsOfLastDays { get; set; } = 30;

    /// <summary>How often the opener looks for trips without an incident when no trip on this instance woke it.</summary>
    [Range(1, 3600)]
    public int SweepSeconds { get; set; } = 2;
}
