using System.ComponentModel.DataAnnotations;

namespace Warden.Features.Gateway;

/// <summary>How long the MCP gateway waits for officers, upstreams and connections.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The path of Warden's MCP endpoint (Streamable HTTP).</summary>
    [RegularExpression("^/[a-z0-9/_-]{1,60}$")]
    public string Path { get; set; } = "/mcp";

    /// <summary>A call held for approval waits this long for officers before it is refused (not run).</summary>
    [Range(0, 3600)]
    public int PendingWaitSeconds { get; set; } = 60;

    /// <summary>An upstream that has not answered a call after this long fails it.</summary>
    [Range(1, 600)]
    public int CallTimeoutSeconds { get; set; } = 30;

    /// <summary>Starting or connecting to an upstream gives up after this long.</summary>
    [Range(1, 300)]
    public int ConnectTimeoutSeconds { get; set; } = 20;

    /// <summary>How long an upstream's tool list is reused before it is asked again.</summary>
    [Range(0, 3600)]
    public int ToolListSeconds { get; set; } = 30;
}
