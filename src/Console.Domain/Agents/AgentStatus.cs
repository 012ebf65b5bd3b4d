namespace Warden.Domain.Agents;

public enum AgentStatus
{
    Active,
    Suspended,
    Contained,
    Retired,
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
