namespace Warden.Domain.Incidents;

/// <summary>What kind of incident a trip opened; it chooses the runbook.</summary>
public enum IncidentType
{
    BreakerAnomaly,
    BreakerViolations,
    BreakerBudget,
    ManualKill,
    GlobalKill,
    Injection,
    DataExfiltration,
    CredentialCompromise,
}

public enum IncidentState
{
    Open,
    Closed,
}
