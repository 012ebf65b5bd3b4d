using System.Net.Http.Headers;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace Warden.GatewayBench;

/// <summary>One client that makes the measured call; each call checks its answer and throws unless it is the expected one.</summary>
internal interface ICallSession : IAsyncDisposable
{
    Task CallAsync(CancellationToken cancellationToken);
}

/// <summary><c>tools/call</c> of the file read on an MCP client: the upstream itself, or Warden's gateway.</summary>
internal sealed class McpCallSession(McpClient client, string tool, string path, bool ownsClient) : ICallSession
{
    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var result = await client.CallToolAsync(tool, UpstreamServer.Arguments, cancellationToken: cancellationToken);
        UpstreamServer.Check(result, path);
    }

    public ValueTask DisposeAsync() => ownsClient ? client.DisposeAsync() : ValueTask.CompletedTask;
}

/// <summary><c>POST /api/v1/decisions</c> for the same tool, operation, resource and parameters the gateway decides on.</summary>
internal sealed class DecisionCallSession(HttpClient http, string token, byte[] body) : ICallSession
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly AuthenticationHeaderValue _bearer = new("Bearer", token);

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/decisions") { Content = content };
        request.Headers.Authorization = _bearer;
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        using var document = JsonDocument.Parse(answer);
        if (!response.IsSuccessStatusCode || !document.RootElement.TryGetProperty("outcome", out var outcome) || outcome.GetString() != "allow")
            throw new InvalidOperationException($"decision: not allowed ({(int)response.StatusCode}): {System.Text.Encoding.UTF8.GetString(answer)}");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary><c>tools/list</c> through the gateway: the MCP round trip through Warden (token, gate, stateless session) without a decision or an upstream call.</summary>
internal sealed class McpListSession(McpClient client) : ICallSession
{
    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        if (!tools.Any(t => t.Name == BenchSetup.ExposedName))
            throw new InvalidOperationException($"tools/list: {BenchSetup.ExposedName} is not listed.");
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
