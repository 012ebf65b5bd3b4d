using System.Text.Json;
using System.Text.Json.Serialization;
using Warden.Domain.Agents;

namespace Warden.Features.Agents;

/// <summary>The recorded before/after picture of an agent in its change history.</summary>
internal sealed record AgentSnapshot(
    string Name,
    string Purpose,
    string Segment,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ToolDeclaration> Tools,
    IReadOnlyList<string> Scopes,
    int RateLimitPerMinute,
    ImpactCaps Caps,
    string Owner,
    string? BackupOwner,
    string? PendingOwner,
    AgentStatus Status,
    int AutonomyLevel)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Of(Agent agent) => JsonSerializer.Serialize(
        new AgentSnapshot(agent.Name, agent.Purpose, agent.Segment, agent.Tags, agent.Tools,
            agent.Scopes.Select(s => s.Pattern).ToList(), agent.RateLimitPerMinute, agent.Caps,
            agent.OwnerId.Value, agent.BackupOwnerId?.Value, agent.PendingOwnerId?.Value, agent.Status, agent.AutonomyLevel),
        Json);
}
