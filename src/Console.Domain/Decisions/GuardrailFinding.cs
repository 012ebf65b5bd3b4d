namespace Warden.Domain.Decisions;

public enum FindingSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>Something a scanner noticed in the request (injection marker, secret, PII), handed to the policy.</summary>
public sealed record GuardrailFinding(string Kind, FindingSeverity Severity, string Location, double Confidence);
