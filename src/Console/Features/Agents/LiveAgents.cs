using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Warden.Domain.Agents;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// The agent rows the decision path reads, kept in memory so a decision does not open a database
/// connection before its write. A copy is dropped the moment a change to its agent commits on this
/// instance (<see cref="LiveAgentsInvalidation"/>), and in any case after <see cref="MaxAge"/>, which
/// bounds how long a change made elsewhere (another instance, a manual edit of the database) can go
/// unseen. Suspension, containment and retirement do not wait for either: the token gate refuses
/// those agents' tokens at once.
/// </summary>
public sealed class LiveAgents(IServiceProvider services) : IStateView
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<AgentId, Entry> _entries = new();
    private long _generation;

    /// <summary>
    /// The agent as last committed (at most <see cref="MaxAge"/> old), or null if there is none or its
    /// settings differ from the digest its last change through Warden recorded (then
    /// <see cref="IsRefused"/> is true and an alert is raised).
    /// </summary>
    public async ValueTask<Agent?> GetAsync(AgentId id, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(id, out var cached) && Stopwatch.GetElapsedTime(cached.ReadAt) < MaxAge)
            return cached.Verified ? cached.Agent : null;

        // A change that commits while this read runs bumps the generation after its commit, so a
        // copy read before that commit is never kept past it.
        var generation = Volatile.Read(ref _generation);
        var readAt = Stopwatch.GetTimestamp();
        Agent? agent;
        string? recorded;
        // Resolved here, not injected: the context options carry the invalidation interceptor, which needs this.
        var contexts = services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        var verified = false;
        await using (var db = contexts.CreateDbContext())
        {
            // A change committing between the two reads looks like a mismatch once; it is read again
            // (a snapshot transaction would take SQLite's write lock on every read).
            for (var attempt = 0; ; attempt++)
            {
                agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
                recorded = agent is null ? null : await AgentSettingsDigest.RecordedAsync(db, id.Value, cancellationToken);
                verified = agent is not null && AgentSettingsDigest.Matches(agent, recorded);
                if (agent is null || verified || attempt == 2)
                    break;
            }
        }
        if (agent is null)
            return null;

        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        var entry = new Entry(agent, verified, readAt);
        _entries[id] = entry;
        if (Volatile.Read(ref _generation) != generation)
            _entries.TryRemove(KeyValuePair.Create(id, entry));
        var alerts = services.GetRequiredService<IntegrityAlerts>();
        if (verified)
        {
            alerts.Clear(AlertKey(id));
            return agent;
        }
        await alerts.RaiseAsync(AlertKey(id), id.Value, recorded is null
            ? $"Agent {agent.Name} ({id.Value}) has no settings recorded through Warden (added to the database behind Warden's back?); its requests are refused."
            : $"Agent {agent.Name} ({id.Value}): its tools, scopes or limits in the database differ from the last change recorded through Warden; its requests are refused until an officer saves the agent again.",
            CancellationToken.None);
        return null;
    }

    /// <summary>True when the agent's last read found its settings changed outside Warden (its requests are refused).</summary>
    public bool IsRefused(AgentId id) => _entries.TryGetValue(id, out var entry) && !entry.Verified;

    private static string AlertKey(AgentId id) => "agent:" + id.Value;

    public IReadOnlyCollection<Type> Follows { get; } = [typeof(Agent)];

    /// <summary>Drops the copies of the agents another instance changed (every copy when it did not name them).</summary>
    public Task ReloadAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var ids = new List<AgentId>();
        foreach (var key in changes.KeysOf(typeof(Agent)) ?? Enumerable.Empty<string>())
        {
            if (!AgentId.TryParse(key, out var id))
                return ReloadAsync(cancellationToken);
            ids.Add(id);
        }
        if (changes.KeysOf(typeof(Agent)) is null)
            return ReloadAsync(cancellationToken);
        Invalidate(ids);
        return Task.CompletedTask;
    }

    /// <summary>Drops every copy: another instance changed agents.</summary>
    public Task ReloadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        return Task.CompletedTask;
    }

    /// <summary>Drops the copies of these agents; called after their change committed.</summary>
    public void Invalidate(IEnumerable<AgentId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Interlocked.Increment(ref _generation);
        foreach (var id in ids)
            _entries.TryRemove(id, out _);
    }

    private sealed record Entry(Agent Agent, bool Verified, long ReadAt);
}

/// <summary>
/// Tells <see cref="LiveAgents"/> which agents changed, once the change is durable: at the end of
/// <c>SaveChanges</c> without a transaction, or when the surrounding transaction ends.
/// </summary>
public sealed class LiveAgentsInvalidation(LiveAgents agents) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<AgentId>> _saving = new();
    private readonly ConditionalWeakTable<DbContext, HashSet<AgentId>> _inTransaction = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null)
            return;
        // A pooled context may come back with ids of a transaction that was disposed without ending: start clean.
        if (context.Database.CurrentTransaction is null)
            _inTransaction.Remove(context);
        // WardenDbContext detected changes once before the save and turned detection off, so reading
        // entry states here costs nothing.
        HashSet<AgentId>? ids = null;
        foreach (var entry in context.ChangeTracker.Entries<Agent>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                (ids ??= []).Add(entry.Entity.Id);
        }
        if (ids is not null)
            _saving.AddOrUpdate(context, ids);
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var ids))
            return;
        _saving.Remove(context);
        agents.Invalidate(ids);
        if (context.Database.CurrentTransaction is null)
            return;
        // Not durable (nor visible to others) until the transaction commits: invalidated then too.
        if (_inTransaction.TryGetValue(context, out var pending))
            pending.UnionWith(ids);
        else
            _inTransaction.AddOrUpdate(context, ids);
    }

    private void Ended(DbContext? context)
    {
        if (context is null || !_inTransaction.TryGetValue(context, out var ids))
            return;
        _inTransaction.Remove(context);
        agents.Invalidate(ids);
    }
}
