using Warden.Domain.Agents;

namespace Warden.Features.Agents;

/// <summary>
/// One tag of one agent, so that the directory's tag filter seeks an index instead of reading every
/// agent's tag list. <see cref="Agent.Tags"/> stays what the domain and the pages read; the context
/// keeps these rows in step with it on every save (<see cref="Persistence.WardenDbContext"/>).
/// </summary>
public sealed class AgentTag
{
    public AgentId AgentId { get; init; }
    public string Tag { get; init; } = string.Empty;
}
