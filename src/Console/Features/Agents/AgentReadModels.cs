using Warden.Domain.Agents;

namespace Warden.Features.Agents;

public enum AgentSortColumn
{
    Name,
    Status,
    AutonomyLevel,
    Segment,
    Risk,
    LastAttestedAt,
    RegisteredAt,
}

/// <summary>Filters, sort and page for the directory. Every filter is optional.</summary>
public sealed record AgentQuery
{
    public string? Search { get; init; }
    public string? OwnerId { get; init; }
    public AgentStatus? Status { get; init; }
    public int? AutonomyLevel { get; init; }
    public string? Segment { get; init; }
    public string? Tag { get; init; }
    public RiskTier? Risk { get; init; }
    public bool AttestationDueOnly { get; init; }
    public bool OrphanedOnly { get; init; }
    public AgentSortColumn SortBy { get; init; } = AgentSortColumn.Name;
    public bool Descending { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 50;
}

public sealed record PersonRef(string Id, string Email, string? DisplayName)
{
    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email : $"{DisplayName} <{Email}>";
}

public sealed record AgentRow(
    string Id,
    string Name,
    PersonRef Owner,
    PersonRef? BackupOwner,
    AgentStatus Status,
    int AutonomyLevel,
    string Segment,
    IReadOnlyList<string> Tags,
    RiskTier HighestRisk,
    DateTimeOffset LastAttestedAt,
    DateTimeOffset AttestationDueAt,
    bool AttestationOverdue,
    DateTimeOffset? OrphanedSince);

public sealed record AgentPage(IReadOnlyList<AgentRow> Items, int Total);

public sealed record AgentChangeRow(DateTimeOffset At, string ActorName, string Kind, string? Reason, string? Before, string? After);

public sealed record AgentDetails(
    AgentRow Summary,
    string Purpose,
    IReadOnlyList<ToolDeclaration> Tools,
    IReadOnlyList<string> Scopes,
    int RateLimitPerMinute,
    ImpactCaps Caps,
    PersonRef? PendingOwner,
    string? StatusReason,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<AgentChangeRow> Changes,
    AgentPermissions Permissions);

/// <summary>What the person looking at the agent may do with it; the service checks again on every call.</summary>
public sealed record AgentPermissions(
    bool CanEdit,
    bool CanSuspend,
    bool CanResume,
    bool CanRetire,
    bool CanAttest,
    bool CanTransfer,
    bool CanAcceptTransfer,
    bool CanAssignOwner,
    bool CanActivate);

public sealed record ToolDraft(string Name, IReadOnlyList<OperationKind> Operations, RiskTier Risk, string? ParameterSchema);

/// <summary>What the register and edit forms (and the import file) submit.</summary>
public sealed record AgentDraft
{
    public string Name { get; init; } = string.Empty;
    public string Purpose { get; init; } = string.Empty;
    public string Segment { get; init; } = string.Empty;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<ToolDraft> Tools { get; init; } = [];
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public int RateLimitPerMinute { get; init; } = 60;
    public int? MaxRecordsPerAction { get; init; }
    public decimal? MaxAmountPerAction { get; init; }
    public long? DailyRecordBudget { get; init; }
    public decimal? DailyAmountBudget { get; init; }
    public string? Currency { get; init; }

    /// <summary>Owner's user id; when empty, the person registering owns the agent.</summary>
    public string? OwnerId { get; init; }
    public string? BackupOwnerId { get; init; }
}

/// <summary>Whether an edit applied at once or waits, as a change request, for an officer's review.</summary>
public sealed record AgentEditOutcome(bool AwaitingReview, string? ChangeRequestId, IReadOnlyList<Widening> Widenings)
{
    public static readonly AgentEditOutcome Applied = new(false, null, []);
}

/// <summary>A change request as the agent page and the officers' queue show it: the whole diff, in words.</summary>
public sealed record AgentChangeRequestRow(
    string Id,
    string AgentId,
    string AgentName,
    PersonRef Owner,
    string RequestedByName,
    DateTimeOffset RequestedAt,
    IReadOnlyList<Widening> Widenings,
    ChangeRequestState State,
    string? DecidedByName,
    string? DecisionReason,
    bool CanDecide);

/// <summary>An agent waiting for an officer to activate it.</summary>
public sealed record PendingAgentRow(string Id, string Name, PersonRef Owner, DateTimeOffset RegisteredAt, bool CanActivate);

public sealed record ImportRowError(int Line, string Message);

public sealed record ImportResult(int Imported, IReadOnlyList<ImportRowError> Errors);

public sealed record DirectoryStats(int Total, int Active, int Suspended, int Orphaned, int AttestationOverdue, int AttestationDueThisWeek);
