namespace Warden.Domain.Autonomy;

/// <summary>How bad a refused attempt was. Critical ones demote the agent at once.</summary>
public enum ViolationSeverity
{
    Low,
    Medium,
    High,
    Critical,
}
