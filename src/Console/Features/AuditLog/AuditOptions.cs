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

    /// <summary>
    /// How far ahead of this instance's clock an event's time may be carried so that the log's times stay
    /// in sequence order (instances whose clocks are a little apart, a clock stepped back a little). A
    /// clock further behind the log's latest time is recorded as it is, and a period that reaches back
    /// past that event is read more slowly on the audit page.
    /// </summary>
    [Range(0, 60_000)]
    public int ClockToleranceMilliseconds { get; set; } = 5_000;

    /// <summary>The most waiting items one group commit takes into its transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;
}
