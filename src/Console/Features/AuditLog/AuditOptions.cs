using System.ComponentModel.DataAnnotations;

namespace Warden.Features.AuditLog;

public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// A folder outside the database (another disk, a mount that only appends, a host the database
    /// administrators cannot write) where every sealed head is appended, one file per instance; the
    /// verifier then also checks the chain against it. Empty: no external sink.
    /// </summary>
    public string? SealSinkPath { get; set; }

    /// <summary>
    /// Upgrading a chain written before every commit was sealed: the operator, having verified it,
    /// names its head's sequence here once, and the next commit seals on top of it. Unset otherwise.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long? AcceptUnsealedHeadAt { get; set; }

    /// <summary>The most waiting items one group commit takes into its transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;
}
