using System.Text.Json;

namespace Warden.Client;

/// <summary>The calling agent as Warden sees it (<c>GET /api/v1/agents/me</c>).</summary>
public sealed record WardenAgentProfile(
    string Id,
    string Name,
    string Status,
    int AutonomyLevel,
    string Segment,
    int RateLimitPerMinute,
    JsonElement Caps,
    IReadOnlyList<WardenAgentTool> Tools,
    IReadOnlyList<string> Scopes,
    bool Contained,
    string? ContainedReason);

public sealed record WardenAgentTool(string Name, IReadOnlyList<string> Operations, string Risk, bool HasSchema);
