using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using ModelContextProtocol.Client;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Gateway;
using Warden.Features.Agents;
using Warden.Features.Gateway;
using Warden.Tests.Features.Agents;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Gateway;

/// <summary>
/// The app on a real Kestrel port, with the reference MCP server (server-everything, a real node
/// process over stdio) registered as an upstream and three of its tools mapped.
/// </summary>
public sealed class GatewayApp : WardenAppFactory, IAsyncLifetime
{
    public const int PendingWaitSeconds = 10;
    public const int CallTimeoutSeconds = 4;
    public const int ConnectTimeoutSeconds = 5;

    public static readonly string EverythingServer =
        RepositoryRoot.Combine("tests", "mcp-upstream", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

    public GatewayApp()
        : this(FreePort())
    {
    }

    private GatewayApp(int port)
        : base(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Gateway:PendingWaitSeconds"] = PendingWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:CallTimeoutSeconds"] = CallTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:ConnectTimeoutSeconds"] = ConnectTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        UseKestrel(port);
    }

    public Uri BaseAddress { get; }

    public Uri McpEndpoint => new(BaseAddress, "/mcp");

    public string UpstreamId { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        File.Exists(EverythingServer).ShouldBeTrue($"{EverythingServer} is missing: run `npm ci --prefix tests/mcp-upstream` (./test.sh does).");
        StartServer();
        UpstreamId = await RegisterAsync("everything", ["node", EverythingServer, "stdio"],
            new MappingDraft("echo", null, "demo.echo", "read", "echo/{message}", null),
            new MappingDraft("get-sum", "sum", "calc.add", "write", "calc/{a}/{b}", null),
            new MappingDraft("get-env", null, "system.env", "read", "system/env", null),
            new MappingDraft("trigger-long-running-operation", "slow", "demo.echo", "read", "echo/slow/{duration}", null));
    }

    /// <summary>Registers a stdio upstream as an officer and maps the tools; returns its id.</summary>
    public async Task<string> RegisterAsync(string name, string[] commandLine, params MappingDraft[] mappings)
    {
        var registered = await this.AsUserAsync<GatewayService, Result<string>>(DemoAccounts.Officer, s => s.RegisterAsync(new UpstreamDraft
        {
            Name = name,
            Transport = UpstreamTransport.Stdio,
            Command = commandLine[0],
            Arguments = commandLine[1..],
        }));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        foreach (var mapping in mappings)
        {
            var mapped = await this.AsUserAsync<GatewayService, Result>(DemoAccounts.Officer, s => s.MapAsync(registered.Value, mapping));
            mapped.IsSuccess.ShouldBeTrue(mapped.Error.ToString());
        }
        return registered.Value;
    }

    /// <summary>An agent that declares the echo (read) and sum (write) tools, not the environment one.</summary>
    internal Task<TestAgent> RegisterAgentAsync() => AgentApiClient.RegisterAsync(this, AgentDraftBuilder.Valid() with
    {
        Segment = "gateway",
        Tools =
        [
            new ToolDraft("demo.echo", [OperationKind.Read], RiskTier.Low, null),
            new ToolDraft("calc.add", [OperationKind.Write], RiskTier.Low, null),
        ],
        Scopes = ["echo/**", "calc/**"],
        RateLimitPerMinute = 600,
    });

    /// <summary>A real MCP client on the gateway's endpoint, with the agent's bearer token.</summary>
    public Task<McpClient> ConnectAsync(string token, CancellationToken cancellationToken) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = new AuthenticationHeaderValue("Bearer", token).ToString() },
        }), cancellationToken: cancellationToken);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
