using System.ComponentModel.DataAnnotations;

namespace Warden.Features.Approvals;

public sealed class ApprovalOptions
{
    public const string SectionName = "Approvals";

    /// <summary>A request nobody has decided after this long is escalated.</summary>
    [Range(1, 24 * 60)]
    public int EscalateAfterMinutes { get; set; } = 5;

    /// <summary>How often the instance looks for requests to expire or escalate.</summary>
    [Range(1, 300)]
    public int SweepSeconds { get; set; } = 5;

    /// <summary>An approval cast sooner than this after the request opened is flagged as a possible rubber stamp.</summary>
    [Range(0, 3600)]
    public int RubberStampSeconds { get; set; } = 10;

    /// <summary>An officer approving more than this many requests within one hour is flagged.</summary>
    [Range(1, 10_000)]
    public int MaxApprovalsPerHour { get; set; } = 30;

    /// <summary>The window the approval-load figures cover.</summary>
    [Range(1, 365)]
    public int LoadWindowDays { get; set; } = 7;
}
