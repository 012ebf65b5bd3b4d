using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Domain.Gateway;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Gateway;

/// <summary>
/// Upstream MCP servers and their mapped tools, as the console manages them: officers change them,
/// auditors and owners read. Each change is audited in the same transaction; header values are
/// sealed before they are stored and never read back out.
/// </summary>
public sealed class GatewayService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    UpstreamSecrets secrets,
    UpstreamConnections connections,
    GatewayCatalog catalog,
    TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<UpstreamRow>>> GetUpstreamsAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(GatewayAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var upstreams = await db.GatewayUpstreams.AsNoTracking().OrderBy(u => u.Name).ToListAsync(cancellationToken);
        return upstreams.Select(Row).ToList();
    }

    /// <summary>What the upstream offers right now (it is started or connected if need be).</summary>
    public async Task<Result<IReadOnlyList<UpstreamToolRow>>> GetUpstreamToolsAsync(string id, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(GatewayAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var upstream = await db.GatewayUpstreams.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (upstream is null)
            return NotFound(id);
        var tools = await connections.ToolsAsync(upstream, cancellationToken);
        if (tools.IsFailure)
            return tools.Error;
        return tools.Value
            .Select(t => new UpstreamToolRow(t.Name, t.Description, upstream.Mappings.FirstOrDefault(m => m.UpstreamTool == t.Name)?.ExposedName))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<Result<string>> RegisterAsync(UpstreamDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var actor = await access.RequireToActAsync(GatewayAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        var now = clock.GetUtcNow();
        var registered = Upstream.Register(Upstream.IdPrefix + Guid.CreateVersion7().ToString("N")[..20], draft.ToSettings(), now);
        if (registered.IsFailure)
            return registered.Error;
        var upstream = registered.Value;
        var headers = SetHeaders(upstream, draft.Headers, now);
        if (headers.IsFailure)
            return headers.Error;
        await using var db = contexts.CreateDbContext();
        if (await db.GatewayUpstreams.AnyAsync(u => u.Name == upstream.Name, cancellationToken))
            return NameTaken(upstream.Name);
        db.GatewayUpstreams.Add(upstream);
        var saved = await SaveAsync(db, actor.Value, "gateway.upstream_registered", upstream, Describe(upstream), cancellationToken);
        return saved.IsFailure ? saved.Error : upstream.Id;
    }

    public Task<Result> ChangeAsync(string id, UpstreamDraft draft, CancellationToken cancellationToken = default) =>
        ChangeUpstreamAsync(id, "gateway.upstream_changed", (db, upstream, now) =>
        {
            ArgumentNullException.ThrowIfNull(draft);
            var changed = upstream.Change(draft.ToSettings(), now);
            if (changed.IsFailure)
                return Task.FromResult(changed);
            // Header values are write-only: a draft without any keeps the stored ones.
            return Task.FromResult(draft.Headers is null ? Result.Success() : SetHeaders(upstream, draft.Headers, now));
        }, Describe, cancellationToken);

    public Task<Result> MapAsync(string id, MappingDraft draft, CancellationToken cancellationToken = default) =>
        ChangeUpstreamAsync(id, "gateway.tool_mapped", async (db, upstream, now) =>
        {
            ArgumentNullException.ThrowIfNull(draft);
            var mapping = draft.ToMapping();
            if (mapping.IsFailure)
                return mapping.Error;
            var others = await db.GatewayUpstreams.AsNoTracking().Where(u => u.Id != upstream.Id).ToListAsync(cancellationToken);
            if (others.Any(u => u.MappingFor(mapping.Value.ExposedName) is not null))
                return GatewayErrors.ExposedNameTaken(mapping.Value.ExposedName);
            return upstream.Map(mapping.Value, now);
        }, upstream => new { upstream = upstream.Name, mapping = upstream.Mappings.Count > 0 ? upstream.Mappings[^1] : null }, cancellationToken);

    public Task<Result> UnmapAsync(string id, string exposedName, CancellationToken cancellationToken = default) =>
        ChangeUpstreamAsync(id, "gateway.tool_unmapped", (_, upstream, now) => Task.FromResult(upstream.Unmap(exposedName, now)),
            upstream => new { upstream = upstream.Name, tool = exposedName }, cancellationToken);

    public async Task<Result> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireToActAsync(GatewayAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var upstream = await db.GatewayUpstreams.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (upstream is null)
            return NotFound(id);
        db.GatewayUpstreams.Remove(upstream);
        var saved = await SaveAsync(db, actor.Value, "gateway.upstream_removed", upstream, new { name = upstream.Name }, cancellationToken);
        if (saved.IsSuccess)
            await connections.ResetAsync(id);
        return saved;
    }

    /// <summary>Closes the upstream's connection (a stdio upstream's process stops); the next call starts it again.</summary>
    public async Task<Result> ReconnectAsync(string id, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireToActAsync(GatewayAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        if (!await db.GatewayUpstreams.AnyAsync(u => u.Id == id, cancellationToken))
            return NotFound(id);
        await connections.ResetAsync(id);
        return Result.Success();
    }

    private async Task<Result> ChangeUpstreamAsync(
        string id, string kind, Func<WardenDbContext, Upstream, DateTimeOffset, Task<Result>> change, Func<Upstream, object> data,
        CancellationToken cancellationToken)
    {
        var actor = await access.RequireToActAsync(GatewayAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        var upstream = await db.GatewayUpstreams.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (upstream is null)
            return NotFound(id);
        var changed = await change(db, upstream, clock.GetUtcNow());
        if (changed.IsFailure)
            return changed;
        if (await db.GatewayUpstreams.AnyAsync(u => u.Name == upstream.Name && u.Id != upstream.Id, cancellationToken))
            return NameTaken(upstream.Name);
        return await SaveAsync(db, actor.Value, kind, upstream, data(upstream), cancellationToken);
    }

    private Result SetHeaders(Upstream upstream, IReadOnlyDictionary<string, string>? headers, DateTimeOffset now)
    {
        var given = (headers ?? new Dictionary<string, string>())
            .Where(h => !string.IsNullOrWhiteSpace(h.Key))
            .ToDictionary(h => h.Key.Trim(), h => h.Value ?? string.Empty, StringComparer.Ordinal);
        return upstream.SetHeaders([.. given.Keys], secrets.Seal(given), now);
    }

    private async Task<Result> SaveAsync(WardenDbContext db, Actor actor, string kind, Upstream upstream, object data, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), kind, upstream.Id, data)], cancellationToken);
        }
        catch (DbUpdateException)
        {
            return NameTaken(upstream.Name);
        }
        catalog.Invalidate();
        return Result.Success();
    }

    private UpstreamRow Row(Upstream u) => new(
        u.Id,
        u.Name,
        u.Transport,
        u.Transport == UpstreamTransport.Http ? u.Url! : string.Join(' ', [u.Command!, .. u.Arguments]),
        u.WorkingDirectory,
        u.HeaderNames,
        u.Mappings.OrderBy(m => m.ExposedName, StringComparer.Ordinal)
            .Select(m => new MappingRow(m.ExposedName, m.UpstreamTool, m.WardenTool, OperationNames.Name(m.Operation), m.ResourceTemplate,
                m.MinimumRisk?.ToString().ToLowerInvariant()))
            .ToList(),
        connections.HealthOf(u.Id),
        u.UpdatedAt);

    private static object Describe(Upstream u) => new
    {
        name = u.Name, transport = u.Transport.ToString().ToLowerInvariant(), command = u.Command, arguments = u.Arguments,
        workingDirectory = u.WorkingDirectory, url = u.Url, headers = u.HeaderNames,
    };

    private static Error NotFound(string id) => new("gateway.not_found", $"No upstream '{id}'.");

    private static Error NameTaken(string name) => new("gateway.name_taken", $"An upstream is already called '{name}'.");
}
