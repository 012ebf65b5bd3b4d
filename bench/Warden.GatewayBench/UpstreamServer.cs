using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Warden.GatewayBench;

/// <summary>
/// The reference filesystem MCP server (a node process over stdio) on a folder holding one small
/// file: what the gateway forwards to, and what the direct client starts its own copy of.
/// </summary>
internal sealed class UpstreamServer
{
    public const string Tool = "read_text_file";
    public const string FileName = "returns.md";

    public UpstreamServer(string repositoryRoot, string dataDirectory)
    {
        RepositoryRoot = repositoryRoot;
        Script = Path.Combine(repositoryRoot, "tests", "mcp-upstream", "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");
        Folder = Path.Combine(dataDirectory, "bench-files");
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, FileName), Content);
    }

    /// <summary>About 1 KB of plain text that no guardrail scanner finds anything in.</summary>
    public static string Content { get; } = string.Join('\n',
        "# Returns",
        "",
        "Customers may return an item within thirty days of delivery when it is unused and in its original packaging.",
        "The support agent checks the order, confirms the delivery date and explains the next steps in plain words.",
        "Items bought in a sale follow the same rule. Gift cards and opened software cannot be returned.",
        "",
        "## Refunds",
        "",
        "A refund goes back to the card or account the customer paid with, once the warehouse has received the item.",
        "Refunds above the team limit need a team lead, who looks at the history of the account before agreeing.",
        "The agent never promises a date: banks take different times to show the money.",
        "",
        "## Exchanges",
        "",
        "An exchange for the same item in another size or colour is free. An exchange for a different item is a return",
        "followed by a new order, and the agent says so before starting it. Damaged deliveries are replaced at once,",
        "without asking the customer to send anything back first; the agent records what the customer described.",
        "");

    public string RepositoryRoot { get; }

    public string Script { get; }

    public string Folder { get; }

    public bool IsInstalled => File.Exists(Script);

    /// <summary>The call's arguments, as both the direct and the gateway clients send them.</summary>
    public static IReadOnlyDictionary<string, object?> Arguments { get; } = new Dictionary<string, object?> { ["path"] = FileName };

    /// <summary>Starts a process of its own, with the settings the gateway gives its stdio upstreams.</summary>
    public Task<McpClient> ConnectDirectAsync(CancellationToken cancellationToken) =>
        McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "bench-direct",
            Command = "node",
            Arguments = [Script, Folder],
            WorkingDirectory = RepositoryRoot,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = StdioClientTransportOptions.GetDefaultEnvironmentVariables()!,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        }), cancellationToken: cancellationToken);

    /// <summary>Throws unless the call ran and returned the file's content.</summary>
    public static void Check(CallToolResult result, string path)
    {
        var text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text;
        if (result.IsError == true || text != Content)
            throw new InvalidOperationException($"{path}: the call did not return the file's content: {text ?? "(no text)"}");
    }
}
