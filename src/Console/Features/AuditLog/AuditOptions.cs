using System.ComponentModel.DataAnnotations;

namespace Warden.Features.AuditLog;

public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>A signed checkpoint is written with every this many events.</summary>
    [Range(1, 1_000_000)]
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>The most waiting items one group commit takes into its transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;
}
