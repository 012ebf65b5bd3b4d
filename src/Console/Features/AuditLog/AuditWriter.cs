using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Audit;
using Warden.Persistence;

namespace Warden.Features.AuditLog;

/// <summary>
/// The one writer of the audit chain. It holds the chain's head (sequence and hash) behind a lock, so
/// events get consecutive sequences and each links to the one before. Two ways in:
/// <see cref="AppendAsync"/> adds events to the caller's own context and saves, so the caller's
/// changes and their events commit together; <see cref="CommitAsync"/> queues an item for the group
/// commit, where many waiting items share one transaction. Whenever a save fails the head is reloaded
/// from the database, because only the database knows whether anything was written.
/// </summary>
public sealed partial class AuditWriter(
    IDbContextFactory<WardenDbContext> contexts,
    AuditCheckpointKey key,
    IAuditMasking masking,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<AuditWriter> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private ChainHead? _head;
    private Task? _loop;

    /// <summary>Appends <paramref name="entries"/> to the chain and saves <paramref name="db"/>: the caller's changes and the events commit in one transaction.</summary>
    public async Task AppendAsync(WardenDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var added = Chain(db, await HeadAsync(cancellationToken), entries);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch
            {
                _head = null;
                foreach (var entity in added)
                    db.Entry(entity).State = EntityState.Detached;
                throw;
            }
            _head = new ChainHead(added.OfType<AuditEvent>().Last());
        }
        finally
        {
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
        return pending.Done.Task;
    }

    /// <summary>The head as this writer knows it (sequence 0 and the genesis hash for an empty chain).</summary>
    public async Task<(long Sequence, string Hash)> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var head = await HeadAsync(cancellationToken);
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
        var (db, accepted) = ApplyAll(batch);
        await using (db)
        {
            if (accepted.Count == 0)
                return null;
            try
            {
                var added = Chain(db, await HeadAsync(CancellationToken.None), accepted.Select(p => p.Item.Entry).ToList());
                await db.SaveChangesAsync(CancellationToken.None);
                var events = added.OfType<AuditEvent>().ToList();
                _head = new ChainHead(events[^1]);
                for (var i = 0; i < accepted.Count; i++)
                    accepted[i].Done.TrySetResult(events[i].Sequence);
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
        }
    }

    // An item whose own action throws fails alone; the rest are applied again to a fresh context so
    // nothing half-added by the failed action is committed.
    private (WardenDbContext Db, List<Pending> Accepted) ApplyAll(List<Pending> batch)
    {
        var accepted = batch.Where(p => !p.Done.Task.IsCompleted).ToList();
        while (true)
        {
            var db = contexts.CreateDbContext();
            var failed = false;
            foreach (var pending in accepted)
            {
                try
                {
                    pending.Item.Apply?.Invoke(db);
                }
                catch (Exception ex)
                {
                    pending.Done.TrySetException(ex);
                    failed = true;
                }
            }
            if (!failed)
                return (db, accepted);
            db.Dispose();
            accepted = accepted.Where(p => !p.Done.Task.IsCompleted).ToList();
        }
    }

    private List<object> Chain(WardenDbContext db, ChainHead head, IReadOnlyList<AuditEntry> entries)
    {
        var now = clock.GetUtcNow();
        var every = options.Value.CheckpointEvery;
        var added = new List<object>(entries.Count + 1);
        var (sequence, hash) = (head.Sequence, head.Hash);
        foreach (var entry in entries)
        {
            var e = AuditEvent.Chain(++sequence, hash, now, entry.Actor, entry.Kind, entry.Subject, entry.IsMasked ? entry.Data : masking.Json(entry.Data));
            db.AuditEvents.Add(e);
            added.Add(e);
            hash = e.Hash;
            if (sequence % every == 0)
            {
                var checkpoint = key.Signer.Sign(sequence, hash, now);
                db.AuditCheckpoints.Add(checkpoint);
                added.Add(checkpoint);
            }
        }
        return added;
    }

    private async Task<ChainHead> HeadAsync(CancellationToken cancellationToken)
    {
        if (_head is { } known)
            return known;
        await using var db = contexts.CreateDbContext();
        var last = await db.AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        _head = last is null ? ChainHead.Genesis : new ChainHead(last.Sequence, last.Hash);
        return _head;
    }

    private sealed record Pending(AuditBatchItem Item, TaskCompletionSource<long> Done);

    private sealed record ChainHead(long Sequence, string Hash)
    {
        public static readonly ChainHead Genesis = new(0, AuditChain.GenesisHash);

        public ChainHead(AuditEvent last)
            : this(last.Sequence, last.Hash)
        {
        }
    }
}

/// <summary>The transaction holding an audit event failed: the caller's action did not happen and must fail closed.</summary>
public sealed class AuditCommitException(Exception inner) : Exception("The audit event could not be committed; the action was not recorded.", inner);

internal static partial class AuditWriterMessages
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} audit events failed; every caller in it was refused.")]
    public static partial void GroupCommitFailed(ILogger logger, Exception exception, int count);
}
