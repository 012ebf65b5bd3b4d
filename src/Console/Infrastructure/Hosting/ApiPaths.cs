namespace Warden.Infrastructure.Hosting;

/// <summary>The paths machines call (the agent and management APIs, the token endpoint, the MCP gateway, the API document).</summary>
internal static class ApiPaths
{
    public static bool Includes(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/connect") || path.StartsWithSegments("/mcp")
        || path.StartsWithSegments("/openapi");
}
