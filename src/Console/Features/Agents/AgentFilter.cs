using Warden.Domain.Agents;

namespace Warden.Features.Agents;

/// <summary>The directory's filter bar as the person edits it; turned into an <see cref="AgentQuery"/> per page load.</summary>
public sealed class AgentFilter
{
    public string? Search { get; set; }
    public string? OwnerId { get; set; }
    public AgentStatus? Status { get; set; }
    public int? Level { get; set; }
    public string? Segment { get; set; }
    public string? Tag { get; set; }
    public RiskTier? Risk { get; set; }
    public bool AttestationDue { get; set; }
    public bool Orphaned { get; set; }

    public AgentQuery ToQuery(AgentSortColumn sortBy, bool descending, int page, int pageSize) => new()
    {
        Search = Search,
        OwnerId = OwnerId,
        Status = Status,
        AutonomyLevel = Level,
        Segment = Segment,
        Tag = Tag,
        Risk = Risk,
        AttestationDueOnly = AttestationDue,
        OrphanedOnly = Orphaned,
        SortBy = sortBy,
        Descending = descending,
        Page = page,
        PageSize = pageSize,
    };

    /// <summary>Maps the grid's sort column (the bound property's name) to the directory's sort column.</summary>
    public static AgentSortColumn SortColumn(string? property) => property switch
    {
        nameof(AgentRow.Status) => AgentSortColumn.Status,
        nameof(AgentRow.AutonomyLevel) => AgentSortColumn.AutonomyLevel,
        nameof(AgentRow.Segment) => AgentSortColumn.Segment,
        nameof(AgentRow.HighestRisk) => AgentSortColumn.Risk,
        nameof(AgentRow.LastAttestedAt) => AgentSortColumn.LastAttestedAt,
        _ => AgentSortColumn.Name,
    };
}
