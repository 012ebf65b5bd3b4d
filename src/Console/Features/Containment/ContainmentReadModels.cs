using Warden.Domain.Containment;

namespace Warden.Features.Containment;

public sealed record ReleaseApprovalView(string OfficerName, string Reason, DateTimeOffset At);

/// <summary>A containment as the panel shows it, with its time-to-contain figures.</summary>
public sealed record ContainmentRow(
    string Id,
    ContainmentScope Scope,
    string Target,
    string TargetLabel,
    string Reason,
    TripSource Source,
    string TrippedBy,
    DateTimeOffset TrippedAt,
    int AgentsContained,
    TimeSpan? TimeToRevocation,
    TimeSpan? TimeToFirstRefusal,
    DateTimeOffset? ReleasedAt,
    string? ReleaseReason,
    int ApprovalsToRelease,
    IReadOnlyList<ReleaseApprovalView> ReleaseApprovals,
    string? CannotReleaseBecause)
{
    public bool IsActive => ReleasedAt is null;

    public bool CanRelease => IsActive && CannotReleaseBecause is null;
}

/// <summary>Something that can be contained, for the panel's search.</summary>
public sealed record ContainmentTarget(ContainmentScope Scope, string Id, string Label, string Detail);

/// <summary>The panel's state: what is contained now and what was.</summary>
public sealed record ContainmentOverview(IReadOnlyList<ContainmentRow> Active, IReadOnlyList<ContainmentRow> History, bool CanTripAnything);
