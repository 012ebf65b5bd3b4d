using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Infrastructure.Cluster;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Features.AuditLog;

/// <summary>
/// The one writer of the audit chain. It holds the chain's head (sequence and hash) behind a lock, so
/// events get consecutive sequences and each links to the one before. Two ways in:
/// <see cref="AppendAsync"/> adds events to the caller's own context and saves, so the caller's
/// changes and their events commit together; <see cref="CommitAsync"/> queues an item for the group
/// commit, where many waiting items share one transaction. Whenever a save fails the head is reloaded
/// from the database, because only the database knows whether anything was written.
/// <para>
/// The writer also keeps the state epoch: a transaction that changes what decisions depend on (see
/// <see cref="DecisionState"/>) adds the next <see cref="StateChange"/>, and a decision decided under
/// an older epoch than the one in force is not recorded (<see cref="StaleStateException"/>).
/// </para>
/// <para>
/// When instances share PostgreSQL, no instance can know the head or the epoch: every write takes a
/// transaction-scoped advisory lock and reads both inside its transaction, so writers on all instances
/// take turns and none writes on a stale head. The lock is held until the commit.
/// </para>
/// <para>
/// Every commit seals its new head: a signed checkpoint at its last event, in the same transaction
/// (ADR 0019). A head read from the database is used only when its seal is genuine and names it, so
/// a tail rewritten outside Warden is never sealed over; the writer refuses instead. Each seal is
/// also appended to the external sink when one is configured.
/// </para>
/// </summary>
public sealed partial class AuditWriter(
    IDbContextFactory<WardenDbContext> contexts,
    AuditCheckpointKey key,
    AuditSealSink sink,
    IAuditMasking masking,
    IOptions<AuditOptions> options,
    StateEpoch epoch,
    DecisionState decisionState,
    TimeProvider clock,
    DatabaseConnection database,
    IOptions<DatabaseOptions> databaseOptions,
    AuditTimeOrder timeOrder,
    ILogger<AuditWriter> logger) : IHostedService, IDisposable
{
    /// <summary>The advisory lock key of the audit chain (any constant the app uses for nothing else).</summary>
    public const long ChainLockKey = 0x5741_5244_454E; // "WARDEN"

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly bool _shared = epoch.IsShared;

    // One instance on SQLite: the group commit's inserts are prepared statements, not EF Core's save pipeline.
    private readonly SqliteRowWriter? _rows = database.Provider == DatabaseProvider.Sqlite && !epoch.IsShared
        ? new SqliteRowWriter(database, new SqliteConnectionPragmas(databaseOptions.Value.LockWaitSeconds))
        : null;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private ChainHead? _head;
    private long _epoch;
    private Task? _loop;

    /// <summary>Appends <paramref name="entries"/> to the chain and saves <paramref name="db"/>: the caller's changes and the events commit in one transaction.</summary>
    public async Task AppendAsync(WardenDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entries);
        var changed = ChangedState(db);
        if (entries.Count == 0 && changed is null)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        await AppendInTurnAsync(db, entries, changed, wanted: null, cancellationToken);
    }

    /// <summary>
    /// As <see cref="AppendAsync"/>, but asks <paramref name="wanted"/> first, in the chain's turn (on
    /// PostgreSQL inside the transaction, under the chain's lock): when it answers false nothing is
    /// saved and this returns false. Instances that race to record the same thing (one incident per
    /// trip, say) then take turns and the later one sees the earlier's rows, instead of failing on a
    /// unique index.
    /// </summary>
    public async Task<bool> AppendIfAsync(
        WardenDbContext db, Func<WardenDbContext, CancellationToken, Task<bool>> wanted, IReadOnlyList<AuditEntry> entries,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
            throw new ArgumentException("A conditional append needs at least one event.", nameof(entries));
        return await AppendInTurnAsync(db, entries, ChangedState(db), wanted, cancellationToken);
    }

    private async Task<bool> AppendInTurnAsync(
        WardenDbContext db, IReadOnlyList<AuditEntry> entries, StateChanges? changed, Func<WardenDbContext, CancellationToken, Task<bool>>? wanted,
        CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        IDbContextTransaction? transaction = null;
        List<object>? added = null;
        try
        {
            if (_shared && db.Database.CurrentTransaction is null)
                transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (head, current) = await TurnAsync(db, cancellationToken);
            if (wanted is not null && !await wanted(db, cancellationToken))
                return false;
            added = await ChainAsync(db, head, entries, cancellationToken);
            var advanced = await AdvanceAsync(db, changed, current, added, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
            Committed(added, advanced ?? current, advanced);
            sink.Append(added);
            return true;
        }
        catch
        {
            _head = null;
            foreach (var entity in added ?? [])
                db.Entry(entity).State = EntityState.Detached;
            throw;
        }
        finally
        {
            if (transaction is not null)
                await transaction.DisposeAsync();
            _lock.Release();
        }
    }

    /// <summary>
    /// Queues <paramref name="item"/> for the next group commit. The task completes with the event's
    /// sequence once the transaction holding it is durable, and faults if that transaction fails.
    /// </summary>
    public Task<long> CommitAsync(AuditBatchItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        EnsureRunning();
        var pending = new Pending(item, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("The audit log has stopped; nothing more can be recorded.");
        pending.FollowWithdrawal();
        return pending.Done.Task;
    }

    /// <summary>Queues <paramref name="addition"/> on its own as one group-commit item (its events in order).</summary>
    public Task<long> CommitAsync(AuditAddition addition)
    {
        ArgumentNullException.ThrowIfNull(addition);
        if (addition.Entries.Count == 0)
            throw new ArgumentException("An addition committed on its own needs at least one event.", nameof(addition));
        return CommitAsync(new AuditBatchItem(addition.Entries[0], addition.Apply, More: addition.Entries.Skip(1).ToList()));
    }

    /// <summary>The head as this writer knows it (sequence 0 and the genesis hash for an empty chain).</summary>
    public async Task<(long Sequence, string Hash)> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_shared)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var last = await ReadHeadAsync(db, cancellationToken);
                return (last.Sequence, last.Hash);
            }
            var (head, _) = await HeadAsync(cancellationToken);
            return (head.Sequence, head.Hash);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureRunning();
        return Task.CompletedTask;
    }

    /// <summary>Takes no new items and waits until every queued one has been committed or failed.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
            await loop.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _rows?.Dispose();
        _lock.Dispose();
    }

    private void EnsureRunning()
    {
        lock (_start)
            _loop ??= Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        var batch = new List<Pending>(options.Value.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);
            try
            {
                await CommitBatchAsync(batch);
            }
            catch (Exception ex)
            {
                AuditWriterMessages.GroupCommitFailed(logger, ex, batch.Count);
                foreach (var pending in batch)
                    pending.Done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch)
    {
        await _lock.WaitAsync();
        try
        {
            var failed = await CommitUnderLockAsync(batch);
            // One bad row must not fail the other callers' decisions: when a shared commit fails,
            // each of its items is tried again alone, and only the ones that still fail fault.
            if (failed is { Count: > 1 })
            {
                foreach (var pending in failed)
                    await CommitUnderLockAsync([pending]);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <returns>The items of a shared commit that failed and are not yet completed; otherwise null.</returns>
    private async Task<List<Pending>?> CommitUnderLockAsync(List<Pending> batch)
    {
        var accepted = batch.Where(p => !p.Done.Task.IsCompleted).ToList();
        while (accepted.Count > 0)
        {
            var db = contexts.CreateDbContext();
            IDbContextTransaction? transaction = null;
            try
            {
                if (_shared)
                    transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
                var (head, current) = await TurnAsync(db, CancellationToken.None);
                // A decision made under an older state than the one in force is not recorded: it is decided again.
                foreach (var pending in accepted)
                {
                    if (pending.Item.DecidedUnder is { } decidedUnder && decidedUnder < current)
                        pending.Done.TrySetException(new StaleStateException(decidedUnder, current));
                }
                // From here an item is this transaction's: it can no longer be withdrawn.
                accepted = [.. accepted.Where(p => !p.Done.Task.IsCompleted && p.TryTake())];
                // An item whose own action throws fails alone; the rest are applied again to a fresh
                // context (and, shared, a fresh turn) so nothing half-added by the failed action is committed.
                if (!ApplyAll(db, accepted))
                {
                    accepted = [.. accepted.Where(p => !p.Done.Task.IsCompleted)];
                    continue;
                }
                if (accepted.Count == 0)
                    return null;
                var added = await ChainAsync(db, head, accepted.SelectMany(p => p.Item.Entries).ToList(), CancellationToken.None);
                var advanced = await AdvanceAsync(db, ChangedState(db, detect: false), current, added, CancellationToken.None);
                if (_rows?.TryCollectRows(db) is { } rows)
                    _rows.Write(rows);
                else
                    await db.SaveChangesAsync(CancellationToken.None);
                if (transaction is not null)
                    await transaction.CommitAsync(CancellationToken.None);
                Committed(added, advanced ?? current, advanced);
                sink.Append(added);
                // Each item completes with the sequence of its first event.
                var events = added.OfType<AuditEvent>().ToList();
                var first = 0;
                foreach (var pending in accepted)
                {
                    pending.Done.TrySetResult(events[first].Sequence);
                    first += pending.Item.Entries.Count;
                }
                return null;
            }
            catch (Exception ex)
            {
                _head = null;
                AuditWriterMessages.GroupCommitFailed(logger, ex, accepted.Count);
                if (accepted.Count > 1)
                    return accepted;
                accepted[0].Done.TrySetException(new AuditCommitException(ex));
                return null;
            }
            finally
            {
                if (transaction is not null)
                    await transaction.DisposeAsync();
                await db.DisposeAsync();
            }
        }
        return null;
    }

    private static bool ApplyAll(WardenDbContext db, List<Pending> accepted)
    {
        var applied = true;
        foreach (var pending in accepted)
        {
            try
            {
                pending.Item.Apply?.Invoke(db);
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
                applied = false;
            }
        }
        return applied;
    }

    /// <summary>
    /// This writer's turn on the chain: the head and the state epoch to write after. Shared, the turn
    /// is the database's advisory lock, and both are read inside the caller's transaction.
    /// </summary>
    private async Task<(ChainHead Head, long Epoch)> TurnAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        if (!_shared)
            return await HeadAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChainLockKey})", cancellationToken);
        var head = await ReadHeadAsync(db, cancellationToken);
        var current = await ReadEpochAsync(db, cancellationToken);
        return (head, current);
    }

    /// <summary>What this transaction changes of the decision state (types and the keys of their rows), or null when it changes none.</summary>
    private StateChanges? ChangedState(WardenDbContext db, bool detect = true)
    {
        var tracker = db.ChangeTracker;
        var auto = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = detect && auto;
        try
        {
            StateChanges? changes = null;
            foreach (var entry in tracker.Entries())
            {
                var type = entry.Metadata.ClrType;
                if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && decisionState.Includes(type))
                {
                    (changes ??= new StateChanges()).Add(type, decisionState.KeyOf(type, entry.Entity));
                    if (entry.State is not EntityState.Deleted && entry.Entity is Agent { Status: AgentStatus.Contained } contained)
                        changes.Contained(contained.Id.Value);
                }
            }
            return changes;
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = auto;
        }
    }

    /// <summary>Adds the next state change when <paramref name="changed"/> names any, and (shared) tells the other instances at commit.</summary>
    private async Task<long?> AdvanceAsync(WardenDbContext db, StateChanges? changed, long current, List<object> added, CancellationToken cancellationToken)
    {
        if (changed is null)
            return null;
        var names = changed.Names;
        var change = new StateChange { Epoch = current + 1, Changed = names.Length <= 400 ? names : names[..400], ChangedAt = clock.GetUtcNow() };
        db.StateChanges.Add(change);
        added.Add(change);
        if (_shared)
        {
            // Delivered when the transaction commits, and only then; it names what changed, so the
            // other instances read again only that (PostgreSQL allows payloads under 8,000 bytes).
            var payload = changed.Payload(change.Epoch);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({StateFollower.Channel}, {payload})", cancellationToken);
        }
        return change.Epoch;
    }

    private void Committed(List<object> added, long current, long? advanced)
    {
        if (_shared)
            return;
        if (added.OfType<AuditEvent>().LastOrDefault() is { } last)
            _head = new ChainHead(last.Sequence, last.Hash, last.At);
        _epoch = current;
        // One instance: the in-process views follow their own changes as they commit.
        if (advanced is { } next)
            epoch.Advanced(next);
    }

    /// <summary>
    /// Adds <paramref name="entries"/> after <paramref name="head"/>, stamped with one time: the clock's,
    /// or the head's time when the clock is behind it by no more than the tolerance, so the log's times
    /// stay in sequence order (<see cref="AuditTimeOrder"/>). A clock further behind is recorded as it
    /// is, and the order's mark moves to the first event of this commit before it is saved.
    /// </summary>
    private async Task<List<object>> ChainAsync(WardenDbContext db, ChainHead head, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var now = AuditChain.Normalize(clock.GetUtcNow());
        if (now < head.At)
        {
            if (head.At - now <= TimeSpan.FromMilliseconds(options.Value.ClockToleranceMilliseconds))
                now = head.At;
            else if (entries.Count > 0)
                await timeOrder.MoveToAsync(db, head.Sequence + 1, now, head.At, cancellationToken);
        }
        var added = new List<object>(entries.Count + 1);
        var (sequence, hash) = (head.Sequence, head.Hash);
        foreach (var entry in entries)
        {
            var e = AuditEvent.Chain(++sequence, hash, now, entry.Actor, entry.Kind, entry.Subject, entry.IsMasked ? entry.Data : masking.Json(entry.Data));
            db.AuditEvents.Add(e);
            added.Add(e);
            hash = e.Hash;
        }
        if (entries.Count > 0)
        {
            // The seal of this commit's head: whoever rewrites these events cannot seal them again.
            var seal = key.Signer.Sign(sequence, hash, now);
            db.AuditCheckpoints.Add(seal);
            added.Add(seal);
        }
        return added;
    }

    private async Task<(ChainHead Head, long Epoch)> HeadAsync(CancellationToken cancellationToken)
    {
        if (_head is { } known)
            return (known, _epoch);
        await using var db = contexts.CreateDbContext();
        _head = await ReadHeadAsync(db, cancellationToken);
        _epoch = await ReadEpochAsync(db, cancellationToken);
        epoch.Advanced(_epoch);
        return (_head, _epoch);
    }

    /// <summary>
    /// The head stored in the database, provided its seal is genuine and names it. Anything else is a
    /// chain changed outside Warden (or an upgrade the operator has not yet accepted): nothing is
    /// written on it, so no seal ever vouches for a forged tail.
    /// </summary>
    private async Task<ChainHead> ReadHeadAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        var last = await db.AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash, e.At })
            .FirstOrDefaultAsync(cancellationToken);
        var seal = await db.AuditCheckpoints.AsNoTracking()
            .OrderByDescending(c => c.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
        var head = last is null ? ChainHead.Genesis : new ChainHead(last.Sequence, last.Hash, last.At);
        if (seal is not null && !key.Signer.IsGenuine(seal))
            throw new AuditChainUnsealedException($"The newest seal (sequence {seal.Sequence}) is not signed with Warden's key.");
        if (seal is not null && seal.Sequence > head.Sequence)
            throw new AuditChainUnsealedException($"A seal vouches for sequence {seal.Sequence}, but the chain ends at {head.Sequence}: events were removed.");
        var sealedHead = seal is not null && seal.Sequence == head.Sequence && string.Equals(seal.Hash, head.Hash, StringComparison.Ordinal);
        if (head.Sequence > 0 && !sealedHead && options.Value.AcceptUnsealedHeadAt != head.Sequence)
            throw new AuditChainUnsealedException(seal is null
                ? $"The chain's head (sequence {head.Sequence}) carries no seal."
                : $"The chain's head (sequence {head.Sequence}) is not the sealed head (sequence {seal.Sequence}): the events after it were written outside Warden.");
        return head;
    }

    private static async Task<long> ReadEpochAsync(WardenDbContext db, CancellationToken cancellationToken) =>
        await db.StateChanges.AsNoTracking().MaxAsync(c => (long?)c.Epoch, cancellationToken) ?? 0;

    private sealed class Pending(AuditBatchItem item, TaskCompletionSource<long> done)
    {
        private const int Waiting = 0, Taken = 1, Withdrawn = 2;
        private int _state;
        private CancellationTokenRegistration _withdrawal;

        public AuditBatchItem Item { get; } = item;

        public TaskCompletionSource<long> Done { get; } = done;

        /// <summary>Withdraws the item when its token is cancelled, if the writer has not taken it by then.</summary>
        public void FollowWithdrawal()
        {
            if (!Item.WithdrawnBy.Signal.CanBeCanceled)
                return;
            _withdrawal = Item.WithdrawnBy.Signal.UnsafeRegister(static state => ((Pending)state!).Withdraw(), this);
            // Completed either way, the registration is dropped (without waiting for a callback in progress).
            Done.Task.ContinueWith(static (_, state) => ((Pending)state!)._withdrawal.Unregister(), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>True when the item is the writer's to commit (now or already); false once withdrawn.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) != Withdrawn;

        private void Withdraw()
        {
            if (Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting)
                Done.TrySetException(new AuditItemWithdrawnException());
        }
    }

    private sealed record ChainHead(long Sequence, string Hash, DateTimeOffset At)
    {
        public static readonly ChainHead Genesis = new(0, AuditChain.GenesisHash, DateTimeOffset.MinValue);
    }
}

/// <summary>An item withdrawn before its turn on the chain (<see cref="AuditBatchItem.WithdrawnBy"/>): nothing of it was written.</summary>
public sealed class AuditItemWithdrawnException() : Exception("The item was withdrawn before it was recorded; nothing of it was written.");

/// <summary>
/// The chain in the database is not the one Warden sealed: nothing more is recorded on it (every
/// caller is refused) until it is verified and the operator decides (ADR 0019).
/// </summary>
public sealed class AuditChainUnsealedException(string reason)
    : Exception($"The audit chain was changed outside Warden; nothing more is recorded on it. {reason}");

/// <summary>The transaction holding an audit event failed: the caller's action did not happen and must fail closed.</summary>
public sealed class AuditCommitException(Exception inner) : Exception("The audit event could not be committed; the action was not recorded.", inner);

internal static partial class AuditWriterMessages
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} audit events failed; every caller in it was refused.")]
    public static partial void GroupCommitFailed(ILogger logger, Exception exception, int count);
}
