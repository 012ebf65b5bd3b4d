using Warden.Domain.Approvals;
using Warden.Domain.People;

namespace Warden.Domain.Containment;

/// <summary>One officer's agreement to release a containment.</summary>
public sealed class ReleaseApproval
{
    private ReleaseApproval()
    {
    }

    internal ReleaseApproval(Voter officer, string reason, DateTimeOffset at)
    {
        OfficerId = officer.Id;
        OfficerMailbox = Voter.Mailbox(officer.Email);
        OfficerName = officer.Name;
        Reason = reason;
        At = at;
    }

    public UserId OfficerId { get; private set; }
    public string OfficerMailbox { get; private set; } = string.Empty;
    public string OfficerName { get; private set; } = string.Empty;
    public string Reason { get; private set; } = string.Empty;
    public DateTimeOffset At { get; private set; }
}

/// <summary>
/// A kill switch that was thrown: what it stops, why, and who or what threw it. It stays active until
/// released by an officer other than the one who tripped it (two officers for a global one); several
/// can be active at once, and an agent is contained while any active one covers it.
/// </summary>
public sealed class Containment
{
    public const string IdPrefix = "cnt_";
    public const int MaxReasonLength = 500;
    public const string GlobalTarget = "*";
    public const string GlobalPhrase = "CONTAIN ALL AGENTS";

    private readonly List<ReleaseApproval> _releaseApprovals = [];

    private Containment()
    {
    }

    public string Id { get; private set; } = string.Empty;
    public ContainmentScope Scope { get; private set; }
    public string Target { get; private set; } = string.Empty;
    public string TargetLabel { get; private set; } = string.Empty;
    public string Reason { get; private set; } = string.Empty;
    public TripSource Source { get; private set; }
    public string? TrippedById { get; private set; }
    public string? TrippedByMailbox { get; private set; }
    public string TrippedByName { get; private set; } = string.Empty;
    public DateTimeOffset TrippedAt { get; private set; }
    public int AgentsContained { get; private set; }
    public DateTimeOffset? CommittedAt { get; private set; }
    public DateTimeOffset? CredentialsRevokedAt { get; private set; }
    public DateTimeOffset? FirstRefusedAt { get; private set; }
    public DateTimeOffset? LastRefusedAt { get; private set; }

    /// <summary>Requests refused while it was in force (as far as the instances counted them).</summary>
    public long RefusalCount { get; private set; }
    public DateTimeOffset? ReleasedAt { get; private set; }
    public string? ReleaseReason { get; private set; }
    public IReadOnlyList<ReleaseApproval> ReleaseApprovals => _releaseApprovals;

    public bool IsActive => ReleasedAt is null;

    public int ApprovalsToRelease => Scope == ContainmentScope.Global ? 2 : 1;

    /// <summary>Trip committed → first refused request, once measured.</summary>
    public TimeSpan? TimeToFirstRefusal => CommittedAt is { } c && FirstRefusedAt is { } f ? f - c : null;

    /// <summary>Trip committed → the agents' tokens refused and their clients disabled.</summary>
    public TimeSpan? TimeToRevocation => CommittedAt is { } c && CredentialsRevokedAt is { } r ? r - c : null;

    public static Result<Containment> Trip(
        string id, ContainmentScope scope, string target, string targetLabel, string? reason, TripSource source,
        string? byId, string? byEmail, string byName, DateTimeOffset now)
    {
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text))
            return ContainmentErrors.ReasonRequired;
        if (text.Length > MaxReasonLength)
            return ContainmentErrors.ReasonTooLong;
        if (scope != ContainmentScope.Global && string.IsNullOrWhiteSpace(target))
            return ContainmentErrors.TargetRequired;
        return new Containment
        {
            Id = id,
            Scope = scope,
            Target = scope == ContainmentScope.Global ? GlobalTarget : target.Trim(),
            TargetLabel = scope == ContainmentScope.Global ? "all agents" : targetLabel,
            Reason = text,
            Source = source,
            TrippedById = byId,
            TrippedByMailbox = byEmail is null ? null : Voter.Mailbox(byEmail),
            TrippedByName = byName,
            TrippedAt = now,
        };
    }

    /// <summary>Who may trip what: officers anything; owners one agent they own; nobody else.</summary>
    public static Result MayTrip(IReadOnlySet<string> roles, ContainmentScope scope, bool ownsTheAgent)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Contains(Roles.SecurityOfficer))
            return Result.Success();
        if (roles.Contains(Roles.AgentOwner) && scope == ContainmentScope.Agent && ownsTheAgent)
            return Result.Success();
        return ContainmentErrors.OwnersTripOwnAgentsOnly;
    }

    /// <summary>Whether this containment stops an agent with this id, owner and segment.</summary>
    public bool Covers(string agentId, string ownerId, string segment) => Scope switch
    {
        ContainmentScope.Global => true,
        ContainmentScope.Agent => Target == agentId,
        ContainmentScope.Owner => Target == ownerId,
        ContainmentScope.Segment => string.Equals(Target, segment, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>Why <paramref name="officer"/> cannot approve the release now, or null when they can (a reason is still needed).</summary>
    public Error? WhyCannotRelease(Voter officer)
    {
        ArgumentNullException.ThrowIfNull(officer);
        if (!IsActive)
            return ContainmentErrors.AlreadyReleased;
        if (!officer.IsActive || !officer.Roles.Contains(Roles.SecurityOfficer))
            return ContainmentErrors.OfficersOnly;
        var mailbox = Voter.Mailbox(officer.Email);
        // The one who tripped never releases alone; a global release may count them as one of its two officers.
        if (IsTripper(officer.Id.Value, mailbox) && Scope != ContainmentScope.Global)
            return ContainmentErrors.TripperCannotRelease;
        return _releaseApprovals.Any(a => a.OfficerId == officer.Id || a.OfficerMailbox == mailbox) ? ContainmentErrors.AlreadyApproved : null;
    }

    /// <summary>Ends a drill: drills release themselves once measured; real containments never do.</summary>
    public Result EndDrill(DateTimeOffset now)
    {
        if (Source != TripSource.Drill)
            return ContainmentErrors.NotADrill;
        if (!IsActive)
            return ContainmentErrors.AlreadyReleased;
        ReleasedAt = now;
        ReleaseReason = "drill finished";
        return Result.Success();
    }

    public bool IsTripper(string userId, string mailbox) => userId == TrippedById || mailbox == TrippedByMailbox;

    public void Committed(DateTimeOffset at, int agents)
    {
        CommittedAt = at;
        AgentsContained = agents;
    }

    public void CredentialsRevoked(DateTimeOffset at) => CredentialsRevokedAt ??= at;

    public void Refused(DateTimeOffset at) => Refused(new RefusalTally(at, at, 1));

    /// <summary>Adds the refusals one instance counted since its last flush.</summary>
    public void Refused(RefusalTally tally)
    {
        if (FirstRefusedAt is null || tally.First < FirstRefusedAt)
            FirstRefusedAt = tally.First;
        if (LastRefusedAt is null || tally.Last > LastRefusedAt)
            LastRefusedAt = tally.Last;
        RefusalCount += tally.Count;
    }

    /// <summary>
    /// One officer agrees to release. Returns whether this approval released it: one approval from an
    /// officer other than the tripper, or, for a global containment, two distinct officers of whom at
    /// least one is not the tripper.
    /// </summary>
    public Result<bool> ApproveRelease(Voter officer, string? reason, DateTimeOffset now)
    {
        if (WhyCannotRelease(officer) is { } refused)
            return refused;
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text))
            return ContainmentErrors.ReasonRequired;
        if (text.Length > MaxReasonLength)
            return ContainmentErrors.ReasonTooLong;

        _releaseApprovals.Add(new ReleaseApproval(officer, text, now));
        if (_releaseApprovals.Count < ApprovalsToRelease)
            return false;
        ReleasedAt = now;
        ReleaseReason = text;
        return true;
    }
}

/// <summary>Refusals counted for one containment: the earliest, the latest and how many.</summary>
public readonly record struct RefusalTally(DateTimeOffset First, DateTimeOffset Last, long Count)
{
    public RefusalTally With(DateTimeOffset at) => new(at < First ? at : First, at > Last ? at : Last, Count + 1);
}
