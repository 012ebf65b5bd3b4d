using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Tools;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;

namespace Warden.Features.Tools;

/// <summary>
/// The declared tool hooks as decisions, approvals and rollbacks read them: the whole set in memory,
/// dropped when a change commits on this instance (<see cref="Invalidate"/>) or another instance's
/// change is followed (<see cref="IStateView"/>), and read again after <see cref="MaxAge"/> in any case
/// (a change made behind Warden's back). A read that fails throws: callers fail closed.
/// </summary>
public sealed class ToolHooks(IDbContextFactory<WardenDbContext> contexts) : IStateView
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private Snapshot? _current;
    private long _generation;

    public IReadOnlyCollection<Type> Follows { get; } = [typeof(ToolHook)];

    public async ValueTask<ToolHook?> FindAsync(string tool, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).GetValueOrDefault(tool);

    public async ValueTask<IReadOnlyDictionary<string, ToolHook>> AllAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } known && Stopwatch.GetElapsedTime(known.ReadAt) < MaxAge)
            return known.Hooks;
        // A change committing while this read runs bumps the generation, so what was read before it is not kept.
        var generation = Volatile.Read(ref _generation);
        var readAt = Stopwatch.GetTimestamp();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hooks = (await db.ToolHooks.AsNoTracking().ToListAsync(cancellationToken))
            .ToFrozenDictionary(h => h.Tool, StringComparer.Ordinal);
        lock (_gate)
        {
            if (_generation == generation)
                _current = new Snapshot(hooks, readAt);
        }
        return hooks;
    }

    /// <summary>Drops the copy after a change committed on this instance.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
            _current = null;
        }
    }

    public Task ReloadAsync(CancellationToken cancellationToken)
    {
        Invalidate();
        return Task.CompletedTask;
    }

    private sealed record Snapshot(FrozenDictionary<string, ToolHook> Hooks, long ReadAt);
}
