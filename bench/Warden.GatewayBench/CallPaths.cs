using System.Net.Http.Headers;
using ModelContextProtocol.Client;

namespace Warden.GatewayBench;

/// <summary>Opens the sessions of each measured path.</summary>
internal sealed class CallPaths(UpstreamServer upstream, BenchSetup setup, HttpClient http, Uri mcpEndpoint)
{
    public const string Direct = "direct";
    public const string DirectPerSession = "direct, a process per session";
    public const string Gateway = "gateway";
    public const string GatewayList = "gateway tools/list";
    public const string Decision = "decision";

    /// <summary>One upstream process that every session shares, as the gateway shares its one upstream process.</summary>
    public async Task<IReadOnlyList<ICallSession>> DirectAsync(int sessions)
    {
        var client = await upstream.ConnectDirectAsync(CancellationToken.None);
        return [.. Enumerable.Range(0, sessions).Select(i => new McpCallSession(client, UpstreamServer.Tool, Direct, ownsClient: i == 0))];
    }

    /// <summary>A process of its own for each session, as separate agents each starting a stdio server would have.</summary>
    public async Task<IReadOnlyList<ICallSession>> DirectPerSessionAsync(int sessions)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => upstream.ConnectDirectAsync(CancellationToken.None)));
        return [.. clients.Select(c => new McpCallSession(c, UpstreamServer.Tool, DirectPerSession, ownsClient: true))];
    }

    public async Task<IReadOnlyList<ICallSession>> GatewayAsync(int sessions) =>
        [.. (await ConnectGatewayAsync(sessions)).Select(c => new McpCallSession(c, BenchSetup.ExposedName, Gateway, ownsClient: true))];

    public async Task<IReadOnlyList<ICallSession>> GatewayListAsync(int sessions) =>
        [.. (await ConnectGatewayAsync(sessions)).Select(c => new McpListSession(c))];

    public async Task<IReadOnlyList<ICallSession>> DecisionAsync(int sessions)
    {
        var token = await setup.TokenAsync(http);
        return [.. Enumerable.Range(0, sessions).Select(_ => new DecisionCallSession(http, token, BenchSetup.DecisionBody))];
    }

    private async Task<McpClient[]> ConnectGatewayAsync(int sessions)
    {
        var bearer = new AuthenticationHeaderValue("Bearer", await setup.TokenAsync(http)).ToString();
        return await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = mcpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = bearer },
        }, http))));
    }
}
