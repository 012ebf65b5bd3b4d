namespace Warden.Domain.Agents;

public enum AgentStatus
{
    Active,
    Suspended,
    Contained,
    Retired,

    /// <summary>Registered by its owner and waiting for an officer to activate it; it gets no token.</summary>
    PendingReview,
}

public enum RiskTier
{
    Low,
    Medium,
    High,
    Critical,
}

public enum OperationKind
{
    Read,
    Write,
    Delete,
    Execute,
}
