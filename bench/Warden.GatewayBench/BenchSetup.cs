using System.Net.Http.Json;
using System.Text.Json;
using Warden.ContainmentBench;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Gateway;
using Warden.Features.Agents;
using Warden.Features.Credentials;
using Warden.Features.Gateway;

namespace Warden.GatewayBench;

/// <summary>
/// What the console's people set up for the run: an officer registers the upstream and maps its file
/// read to <see cref="WardenTool"/>; an owner registers an agent that declares that tool as a low-risk
/// read on <c>bench/**</c>, with a rate limit far above what the run asks, and issues its secret.
/// </summary>
internal sealed class BenchSetup
{
    public const string ExposedName = "bench_read_text_file";
    public const string WardenTool = "bench.read";
    public const string Resource = "bench/" + UpstreamServer.FileName;
    private const string Owner = "owner@warden.example";
    private const string Officer = "officer@warden.example";

    private BenchSetup(string upstreamId, string agentId, string secret) => (UpstreamId, AgentId, _secret) = (upstreamId, agentId, secret);

    private readonly string _secret;

    public string UpstreamId { get; }

    public string AgentId { get; }

    /// <summary>The decision API body for what the gateway decides on each call.</summary>
    public static byte[] DecisionBody { get; } = JsonSerializer.SerializeToUtf8Bytes(new
    {
        tool = WardenTool,
        operation = "read",
        resource = Resource,
        parameters = UpstreamServer.Arguments,
    });

    public static async Task<BenchSetup> CreateAsync(BenchHost host, UpstreamServer upstream)
    {
        var registered = Value(await host.AsUserAsync<GatewayService, Result<string>>(Officer, s => s.RegisterAsync(new UpstreamDraft
        {
            Name = "bench-files",
            Transport = UpstreamTransport.Stdio,
            Command = "node",
            Arguments = [upstream.Script, upstream.Folder],
        })));
        Check(await host.AsUserAsync<GatewayService, Result>(Officer,
            s => s.MapAsync(registered, new MappingDraft(UpstreamServer.Tool, ExposedName, WardenTool, "read", "bench/{path}", null))));
        var agentId = Value(await host.AsUserAsync<AgentRegistryService, Result<string>>(Owner, s => s.RegisterAsync(new AgentDraft
        {
            Name = "Gateway bench agent",
            Purpose = "Reads one knowledge-base file, directly and through the MCP gateway.",
            Segment = "bench",
            Tools = [new ToolDraft(WardenTool, [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["bench/**"],
            RateLimitPerMinute = AgentProfile.MaxRateLimitPerMinute,
        })));
        var secret = Value(await host.AsUserAsync<CredentialService, Result<string>>(Owner, s => s.IssueSecretAsync(agentId)));
        return new BenchSetup(registered, agentId, secret);
    }

    /// <summary>A fresh access token (they live minutes): one per phase.</summary>
    public async Task<string> TokenAsync(HttpClient http)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = AgentId,
            ["client_secret"] = _secret,
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("No access token.");
    }

    private static T Value<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error.ToString());

    private static void Check(Result result)
    {
        if (result.IsFailure)
            throw new InvalidOperationException(result.Error.ToString());
    }
}
