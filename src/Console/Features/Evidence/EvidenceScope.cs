namespace Warden.Features.Evidence;

/// <summary>Whose records a pack holds: everything, one owner's agents, one segment, or one agent.</summary>
public enum EvidenceScope
{
    Everything,
    Owner,
    Segment,
    Agent,
}

public enum EvidencePeriodKind
{
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Custom,
}

public enum EvidencePackStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}
