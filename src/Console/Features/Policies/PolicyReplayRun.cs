namespace Warden.Features.Policies;

/// <summary>
/// One replay of a saved version against recorded decisions, run as a background job so a large
/// window survives the officer leaving the page: its window, where it stands, how far it got, and
/// its report (or why it failed).
/// </summary>
public sealed class PolicyReplayRun
{
    public int Id { get; set; }
    /// <summary>The saved version replayed (the draft).</summary>
    public int VersionId { get; set; }
    public string VersionLabel { get; set; } = string.Empty;
    public DateTimeOffset From { get; set; }
    public DateTimeOffset To { get; set; }
    public ReplayStatus Status { get; set; }
    /// <summary>Decisions replayed (or skipped) so far.</summary>
    public int Progress { get; set; }
    /// <summary>Decisions in the window, at most <see cref="PolicyReplay.MaxDecisions"/>; known once the job starts.</summary>
    public int? Total { get; set; }
    /// <summary>The publication in force the replay compared against; a later publication makes the result stale.</summary>
    public int? BaselinePublicationId { get; set; }
    public string? BaselineLabel { get; set; }
    public string RequestedBy { get; set; } = string.Empty;
    public string RequestedByName { get; set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The <see cref="ReplayReport"/> as JSON once completed.</summary>
    public string? Result { get; set; }
    public string? Error { get; set; }

    public bool IsFinished => Status is ReplayStatus.Completed or ReplayStatus.Failed;
}

public enum ReplayStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}
