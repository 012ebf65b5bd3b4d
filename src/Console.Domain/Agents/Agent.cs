using Warden.Domain.People;

namespace Warden.Domain.Agents;

/// <summary>
/// A registered AI agent: what it is for, who answers for it, what it may touch, and where it is in
/// its life. Every change is a method that refuses with a <see cref="Result"/> and leaves the agent
/// untouched when a rule says no.
/// </summary>
public sealed class Agent
{
    private List<string> _tags = [];

    private Agent()
    {
    }

    public AgentId Id { get; private set; }
    public string Name { get; private set; } = string.Empty;
    public string NormalizedName { get; private set; } = string.Empty;
    public string Purpose { get; private set; } = string.Empty;
    public string Segment { get; private set; } = string.Empty;
    public IReadOnlyList<string> Tags => _tags;
    public IReadOnlyList<ToolDeclaration> Tools { get; private set; } = [];
    public IReadOnlyList<ResourceScope> Scopes { get; private set; } = [];
    public int RateLimitPerMinute { get; private set; }
    public ImpactCaps Caps { get; private set; } = ImpactCaps.None;
    public RiskTier HighestRisk { get; private set; }
    public UserId OwnerId { get; private set; }
    public UserId? BackupOwnerId { get; private set; }
    public UserId? PendingOwnerId { get; private set; }
    public int AutonomyLevel { get; private set; }
    public AgentStatus Status { get; private set; }
    public string? StatusReason { get; private set; }
    public AgentStatus? StatusBeforeContainment { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset LastAttestedAt { get; private set; }
    public DateTimeOffset? OrphanedSince { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public AgentProfile Profile => new(Name, Purpose, Segment, Tags, Tools, Scopes, RateLimitPerMinute, Caps);

    /// <param name="pendingReview">The agent waits for an officer's <see cref="Activate"/> before it may act.</param>
    public static Result<Agent> Register(
        AgentId id, AgentProfile profile, OwnerCandidate owner, OwnerCandidate? backup, DateTimeOffset now, bool pendingReview = false)
    {
        var normalized = profile.Normalized();
        var valid = normalized.Validate();
        if (valid.IsFailure)
            return valid.Error;
        var people = CheckOwners(owner, backup);
        if (people.IsFailure)
            return people.Error;

        var agent = new Agent
        {
            Id = id,
            OwnerId = owner.Id,
            BackupOwnerId = backup?.Id,
            Status = pendingReview ? AgentStatus.PendingReview : AgentStatus.Active,
            RegisteredAt = now,
            LastAttestedAt = now,
        };
        agent.Apply(normalized, now);
        return agent;
    }

    public Result Edit(AgentProfile profile, DateTimeOffset now)
    {
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        var normalized = profile.Normalized();
        var valid = normalized.Validate();
        if (valid.IsFailure)
            return valid;
        Apply(normalized, now);
        return Result.Success();
    }

    public Result ChangeBackupOwner(OwnerCandidate? backup, DateTimeOffset now)
    {
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        if (backup is not null && backup.Id == OwnerId)
            return AgentErrors.BackupIsOwner;
        if (backup is { IsEligible: false })
            return AgentErrors.NotEligibleOwner(backup.Id);
        BackupOwnerId = backup?.Id;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>An officer who does not own the agent lets a newly registered agent act.</summary>
    public Result Activate(UserId officer, DateTimeOffset now)
    {
        if (Status != AgentStatus.PendingReview)
            return AgentErrors.NotPendingReview(Status);
        if (officer == OwnerId)
            return AgentErrors.OwnerCannotActivate;
        Status = AgentStatus.Active;
        StatusReason = null;
        UpdatedAt = now;
        return Result.Success();
    }

    public Result Suspend(string reason, DateTimeOffset now) =>
        ChangeStatus(AgentStatus.Active, AgentStatus.Suspended, "suspended", reason, now);

    public Result Resume(string reason, DateTimeOffset now) =>
        ChangeStatus(AgentStatus.Suspended, AgentStatus.Active, "resumed", reason, now);

    public Result Retire(string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return AgentErrors.ReasonRequired;
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        if (Status == AgentStatus.Contained)
            return AgentErrors.ContainedOnlyByContainment;
        Status = AgentStatus.Retired;
        StatusReason = reason.Trim();
        PendingOwnerId = null;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>Only the containment feature calls this; the agent remembers where to return.</summary>
    public Result Contain(string reason, DateTimeOffset now)
    {
        if (Status is AgentStatus.Retired or AgentStatus.Contained)
            return AgentErrors.InvalidTransition(Status, "contained");
        StatusBeforeContainment = Status;
        Status = AgentStatus.Contained;
        StatusReason = reason;
        UpdatedAt = now;
        return Result.Success();
    }

    public Result ReleaseContainment(string reason, DateTimeOffset now)
    {
        if (Status != AgentStatus.Contained)
            return AgentErrors.InvalidTransition(Status, "released from containment");
        Status = StatusBeforeContainment ?? AgentStatus.Suspended;
        StatusBeforeContainment = null;
        StatusReason = reason;
        UpdatedAt = now;
        return Result.Success();
    }

    public const int MaxAutonomyLevel = 3;

    /// <summary>
    /// Moves the agent to another autonomy level (a promotion the officers approved, or a demotion).
    /// A retired agent keeps the level it retired with; an unchanged level is refused, never silently accepted.
    /// </summary>
    public Result ChangeAutonomyLevel(int level, DateTimeOffset now)
    {
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        if (level is < 0 or > MaxAutonomyLevel)
            return AgentErrors.InvalidAutonomyLevel(level);
        if (level == AutonomyLevel)
            return AgentErrors.SameAutonomyLevel(level);
        AutonomyLevel = level;
        UpdatedAt = now;
        return Result.Success();
    }

    public Result Attest(UserId by, DateTimeOffset now)
    {
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        if (by != OwnerId)
            return AgentErrors.NotOwner;
        LastAttestedAt = now;
        UpdatedAt = now;
        return Result.Success();
    }

    public DateTimeOffset AttestationDueAt(TimeSpan period) => LastAttestedAt + period;

    public bool IsAttestationOverdue(TimeSpan period, DateTimeOffset now) =>
        Status != AgentStatus.Retired && now > AttestationDueAt(period);

    /// <summary>The current owner offers the agent to another eligible person, who must accept.</summary>
    public Result OfferOwnership(UserId by, OwnerCandidate to, DateTimeOffset now)
    {
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        if (by != OwnerId)
            return AgentErrors.NotOwner;
        var eligible = CheckNewOwner(to);
        if (eligible.IsFailure)
            return eligible;
        PendingOwnerId = to.Id;
        UpdatedAt = now;
        return Result.Success();
    }

    public Result AcceptOwnership(OwnerCandidate by, DateTimeOffset now)
    {
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        if (PendingOwnerId != by.Id)
            return AgentErrors.NoTransferPending;
        var eligible = CheckNewOwner(by);
        if (eligible.IsFailure)
            return eligible;
        SetOwner(by.Id, now);
        return Result.Success();
    }

    /// <summary>An officer reassigns ownership directly, e.g. for an orphaned agent.</summary>
    public Result AssignOwner(OwnerCandidate to, DateTimeOffset now)
    {
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        var eligible = CheckNewOwner(to);
        if (eligible.IsFailure)
            return eligible;
        SetOwner(to.Id, now);
        return Result.Success();
    }

    public bool MarkOrphaned(DateTimeOffset now)
    {
        if (OrphanedSince is not null || Status == AgentStatus.Retired)
            return false;
        OrphanedSince = now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>An orphaned agent is offered to its backup owner, who accepts like any transfer.</summary>
    public bool OfferToBackup(DateTimeOffset now)
    {
        if (OrphanedSince is null || BackupOwnerId is null || Status == AgentStatus.Retired)
            return false;
        PendingOwnerId = BackupOwnerId;
        UpdatedAt = now;
        return true;
    }

    public bool ClearOrphan(DateTimeOffset now)
    {
        if (OrphanedSince is null)
            return false;
        OrphanedSince = null;
        UpdatedAt = now;
        return true;
    }

    private void SetOwner(UserId owner, DateTimeOffset now)
    {
        if (BackupOwnerId == owner)
            BackupOwnerId = null;
        OwnerId = owner;
        PendingOwnerId = null;
        OrphanedSince = null;
        UpdatedAt = now;
    }

    private Result CheckNewOwner(OwnerCandidate to)
    {
        if (to.Id == OwnerId)
            return AgentErrors.AlreadyOwner;
        return to.IsEligible ? Result.Success() : AgentErrors.NotEligibleOwner(to.Id);
    }

    private Result ChangeStatus(AgentStatus from, AgentStatus to, string verb, string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return AgentErrors.ReasonRequired;
        if (Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        if (Status == AgentStatus.Contained)
            return AgentErrors.ContainedOnlyByContainment;
        if (Status != from)
            return AgentErrors.InvalidTransition(Status, verb);
        Status = to;
        StatusReason = reason.Trim();
        UpdatedAt = now;
        return Result.Success();
    }

    private void Apply(AgentProfile profile, DateTimeOffset now)
    {
        Name = profile.Name;
        NormalizedName = NormalizeName(profile.Name);
        Purpose = profile.Purpose;
        Segment = profile.Segment;
        _tags = [.. profile.Tags];
        Tools = profile.Tools;
        Scopes = profile.Scopes;
        RateLimitPerMinute = profile.RateLimitPerMinute;
        Caps = profile.Caps;
        HighestRisk = profile.HighestRisk;
        UpdatedAt = now;
    }

    public static string NormalizeName(string name) => name.Trim().ToUpperInvariant();

    private static Result CheckOwners(OwnerCandidate owner, OwnerCandidate? backup)
    {
        if (!owner.IsEligible)
            return AgentErrors.NotEligibleOwner(owner.Id);
        if (backup is null)
            return Result.Success();
        if (backup.Id == owner.Id)
            return AgentErrors.BackupIsOwner;
        return backup.IsEligible ? Result.Success() : AgentErrors.NotEligibleOwner(backup.Id);
    }
}
