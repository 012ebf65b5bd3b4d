namespace Warden.Features.Policies;

public sealed record PolicyCheck(IReadOnlyList<PolicyProblem> Problems, IReadOnlyList<PolicyTestResult> Tests)
{
    public bool Publishable => Problems.Count == 0 && Tests.Count > 0 && Tests.All(t => t.Passed);
}

public sealed record PolicyVersionView(int Id, string Label, string AuthorName, DateTimeOffset SavedAt, string Comment, string ContentHash,
                                       int Problems, int TestsPassed, int TestsFailed, bool Publishable, bool InForce, bool EverPublished)
{
    internal static PolicyVersionView Of(PolicyVersion v, bool inForce, bool everPublished) =>
        new(v.Id, v.Label, v.AuthorName, v.SavedAt, v.Comment, v.ContentHash, v.Problems, v.TestsPassed, v.TestsFailed, v.Publishable, inForce, everPublished);
}

public sealed record PublicationView(int Id, int VersionId, string VersionLabel, PublicationState State, string RequestedByName, DateTimeOffset RequestedAt,
                                     string Reason, int Replayed, int Widened, int Narrowed, string? SecondOfficerName, DateTimeOffset? PublishedAt,
                                     string? RejectionReason)
{
    internal static PublicationView Of(PolicyPublication p, string label) =>
        new(p.Id, p.VersionId, label, p.State, p.RequestedByName, p.RequestedAt, p.Reason, p.Replayed, p.Widened, p.Narrowed,
            p.SecondOfficerName, p.PublishedAt, p.RejectionReason);
}

public sealed record PolicyOverview(PolicyVersionView? InForce, string? InForceContent, IReadOnlyList<PolicyVersionView> Versions,
                                    IReadOnlyList<PublicationView> Publications);

/// <param name="ReplayRunId">The background replay the publication rested on, when it used one.</param>
public sealed record PublishResult(PublicationView Publication, ReplayReport Replay, int? ReplayRunId = null);

/// <summary>A background replay as people see it; <see cref="Report"/> only when asked for one run and it completed.</summary>
public sealed record ReplayRunView(int Id, int VersionId, string VersionLabel, DateTimeOffset From, DateTimeOffset To, ReplayStatus Status,
                                   int Progress, int? Total, string RequestedByName, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt,
                                   string? BaselineLabel, string? Error, ReplayReport? Report)
{
    public bool IsFinished => Status is ReplayStatus.Completed or ReplayStatus.Failed;

    /// <summary>0–100 once the job knows how many decisions the window holds.</summary>
    public double? Percent => Total is { } total && total > 0 ? Math.Min(100, Progress * 100.0 / total) : Status == ReplayStatus.Completed ? 100 : null;

    internal static ReplayRunView Of(PolicyReplayRun r, bool withReport = false) =>
        new(r.Id, r.VersionId, r.VersionLabel, r.From, r.To, r.Status, r.Progress, r.Total, r.RequestedByName, r.RequestedAt, r.FinishedAt,
            r.BaselineLabel, r.Error, withReport ? PolicyReplayJob.ReportOf(r) : null);
}
