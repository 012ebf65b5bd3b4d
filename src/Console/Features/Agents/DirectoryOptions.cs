using System.ComponentModel.DataAnnotations;

namespace Warden.Features.Agents;

public sealed class DirectoryOptions
{
    public const string SectionName = "Directory";

    /// <summary>Owners re-attest each agent this often.</summary>
    [Range(1, 3650)]
    public int AttestationPeriodDays { get; set; } = 90;

    /// <summary>When on, an agent overdue by <see cref="AttestationGraceDays"/> is suspended.</summary>
    public bool EnforceAttestation { get; set; }

    [Range(0, 365)]
    public int AttestationGraceDays { get; set; } = 14;

    /// <summary>Orphaned agents (owner disabled or gone) are suspended after this many days.</summary>
    [Range(0, 365)]
    public int OrphanGraceDays { get; set; } = 7;

    /// <summary>
    /// When on (the default), an agent registered or imported by its owner starts pending review and gets
    /// no token until an officer who does not own it activates it.
    /// </summary>
    public bool NewAgentsNeedReview { get; set; } = true;

    public string UpkeepCron { get; set; } = "*/15 * * * *";

    public TimeSpan AttestationPeriod => TimeSpan.FromDays(AttestationPeriodDays);
}
