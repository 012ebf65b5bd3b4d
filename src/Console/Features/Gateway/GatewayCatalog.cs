using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Gateway;
using Warden.Persistence;

namespace Warden.Features.Gateway;

/// <summary>
/// The registered upstreams as the gateway's calls read them: kept in memory, dropped when the
/// console changes one on this instance, and re-read after <see cref="MaxAge"/> in any case (a change
/// made by another instance).
/// </summary>
public sealed class GatewayCatalog(IDbContextFactory<WardenDbContext> contexts)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private Snapshot? _current;

    public async ValueTask<IReadOnlyList<Upstream>> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } known && Stopwatch.GetElapsedTime(known.ReadAt) < MaxAge)
            return known.Upstreams;
        var readAt = Stopwatch.GetTimestamp();
        await using var db = contexts.CreateDbContext();
        var upstreams = await db.GatewayUpstreams.AsNoTracking().OrderBy(u => u.Name).ToListAsync(cancellationToken);
        Volatile.Write(ref _current, new Snapshot(upstreams, readAt));
        return upstreams;
    }

    /// <summary>The upstream and mapping agents know as <paramref name="exposedName"/>, if any.</summary>
    public async ValueTask<(Upstream Upstream, ToolMapping Mapping)?> FindAsync(string exposedName, CancellationToken cancellationToken)
    {
        foreach (var upstream in await GetAsync(cancellationToken))
        {
            if (upstream.MappingFor(exposedName) is { } mapping)
                return (upstream, mapping);
        }
        return null;
    }

    public void Invalidate() => Volatile.Write(ref _current, null);

    private sealed record Snapshot(IReadOnlyList<Upstream> Upstreams, long ReadAt);
}
