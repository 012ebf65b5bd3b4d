using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Domain.Gateway;
using Warden.Features.AuditLog;
using Warden.Features.Gateway;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Features.Demo;

/// <summary>
/// With <c>--demo</c>, one real upstream behind the MCP gateway: the reference filesystem server
/// (from <c>npm ci --prefix tests/mcp-upstream</c>) over stdio on a small knowledge base in the data
/// folder, its read tools mapped to the support agent's <c>kb.read</c> and its write tool to
/// <c>kb.write</c>, which the default policy holds for an officer at autonomy level 0.
/// </summary>
public sealed partial class DemoUpstream(
    IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, DatabaseConnection connection, IHostEnvironment environment,
    TimeProvider clock, ILogger<DemoUpstream> logger)
{
    public const string Id = "ups_demo_files";
    public const string Name = "files";
    public const string Folder = "demo-files";
    public static readonly string Server = Path.Combine("tests", "mcp-upstream", "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");

    private static readonly ToolMapping[] Mappings =
    [
        new("read_text_file", "read_text_file", "kb.read", Domain.Agents.OperationKind.Read, "kb/{path}"),
        new("list_directory", "list_directory", "kb.read", Domain.Agents.OperationKind.Read, "kb/{path}"),
        new("write_file", "write_file", "kb.write", Domain.Agents.OperationKind.Write, "kb/{path}"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(connection.DataDirectory, Folder);
        WriteKnowledgeBase(folder);
        if (!File.Exists(Path.Combine(environment.ContentRootPath, Server)))
            LogNotInstalled(logger, Server);
        await using var db = contexts.CreateDbContext();
        if (await db.GatewayUpstreams.AnyAsync(u => u.Id == Id || u.Name == Name, cancellationToken))
            return;
        var now = clock.GetUtcNow();
        var upstream = Upstream.Register(Id, new UpstreamSettings(Name, UpstreamTransport.Stdio, "node", [Server, folder], null, null), now).Value;
        foreach (var mapping in Mappings)
            upstream.Map(mapping, now);
        db.GatewayUpstreams.Add(upstream);
        await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.System, "gateway.upstream_registered", Id, new { name = Name, demo = true, folder })], cancellationToken);
    }

    private static void WriteKnowledgeBase(string folder)
    {
        Directory.CreateDirectory(folder);
        var faq = Path.Combine(folder, "refunds.md");
        if (!File.Exists(faq))
            File.WriteAllText(faq, "# Refunds\n\nCustomers may ask for a refund within 30 days of purchase. Refunds above 500 EUR need a team lead.\n");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The demo MCP upstream is not installed ({Server} is missing), so the gateway shows it as unavailable; install it with: npm ci --prefix tests/mcp-upstream")]
    private static partial void LogNotInstalled(ILogger logger, string server);
}
