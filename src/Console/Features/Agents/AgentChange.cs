namespace Warden.Features.Agents;

/// <summary>
/// One recorded change to an agent: who, when, what kind, and the profile before and after,
/// written in the same transaction as the change itself.
/// </summary>
public sealed class AgentChange
{
    public long Id { get; set; }
    public string AgentId { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
    public string? ActorId { get; set; }
    public string ActorName { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;
    public string? Reason { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}
