using System.Globalization;
using Warden.Domain.Agents;

namespace Warden.Features.Credentials;

/// <summary>A ready-to-run way of connecting an agent, shown once beside its new secret.</summary>
public sealed record ConnectionSnippet(string Key, string Title, string Text);

/// <summary>
/// The first request an agent makes, written out for each way of connecting: raw HTTP, the .NET client
/// library and the MCP gateway, with the agent's own client id, secret and first declared tool.
/// </summary>
public static class ConnectionSnippets
{
    public static IReadOnlyList<ConnectionSnippet> For(Uri consoleBase, string clientId, string secret, ToolDeclaration? tool, string? scope)
    {
        ArgumentNullException.ThrowIfNull(consoleBase);
        var baseUrl = consoleBase.GetLeftPart(UriPartial.Authority);
        var toolName = tool?.Name ?? "your.tool";
        var operation = (tool is { Operations.Count: > 0 } ? tool.Operations[0] : OperationKind.Read).ToString().ToLower(CultureInfo.InvariantCulture);
        var resource = ExampleResource(scope);
        var token = $"TOKEN=$(curl -s {baseUrl}/connect/token \\\n  -d grant_type=client_credentials -d client_id={clientId} -d client_secret='{secret}' \\\n  | jq -r .access_token)";
        return
        [
            new("http", "Raw HTTP (curl)",
                $"# An access token (OAuth 2.0 client credentials)\n{token}\n\n# Ask before acting\ncurl -s {baseUrl}/api/v1/decisions -H \"Authorization: Bearer $TOKEN\" \\\n  -H \"Content-Type: application/json\" -H \"Idempotency-Key: first-$RANDOM$RANDOM\" \\\n  -d '{{\"tool\":\"{toolName}\",\"operation\":\"{operation}\",\"resource\":\"{resource}\",\"parameters\":{{}}}}' | jq ."),
            new("dotnet", ".NET client (Warden.Client)",
                $"services.AddWardenClient(o =>\n{{\n    o.BaseAddress = new Uri(\"{baseUrl}\");\n    o.ClientId = \"{clientId}\";\n    o.ClientSecret = \"{secret}\";\n}});\n\nvar warden = provider.GetRequiredService<WardenClient>();\nvar decision = await warden.AskAndWaitAsync(\n    WardenAsk.For(\"{toolName}\", \"{operation}\", \"{resource}\", new {{ }}),\n    bound: TimeSpan.FromMinutes(2));\nConsole.WriteLine(decision.IsAllowed ? \"allowed\" : decision.Explain());"),
            new("mcp", "MCP gateway",
                $"# Any MCP client: Streamable HTTP at {baseUrl}/mcp with the header \"Authorization: Bearer <token>\"\n{token}\n\ncurl -s {baseUrl}/mcp -H \"Authorization: Bearer $TOKEN\" -H \"Content-Type: application/json\" \\\n  -H \"Accept: application/json, text/event-stream\" -d '{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}}'"),
        ];
    }

    /// <summary>A resource the first scope allows: each wildcard segment becomes "example".</summary>
    public static string ExampleResource(string? scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
            return "your/resource";
        var segments = scope.Trim().Split('/').Select(s => s is "*" or "**" ? "example" : s);
        return string.Join('/', segments);
    }
}
