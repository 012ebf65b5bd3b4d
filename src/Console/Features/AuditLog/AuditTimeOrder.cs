using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Persistence;

namespace Warden.Features.AuditLog;

/// <summary>
/// Where the log's times are in order: from <see cref="OrderedFrom"/> on, no event's time is earlier
/// than the time of the event before it, so a period of that part of the log is one range of
/// sequences, found by two seeks of the time index. <see cref="ScannedAt"/> says the events written before the writer kept that order
/// have been read once to place the mark; until then the mark is not used.
/// </summary>
public sealed class AuditTimeOrderMark
{
    public const int TheMark = 1;

    public int Id { get; set; } = TheMark;

    /// <summary>The first sequence of the ordered tail of the log (1 when the whole log is in order).</summary>
    public long OrderedFrom { get; set; }

    public DateTimeOffset? ScannedAt { get; set; }
}

/// <summary>
/// Keeps the mark of <see cref="AuditTimeOrderMark"/>. The writer stamps every commit no earlier than
/// the head's time, carrying it ahead of the clock by at most
/// <see cref="AuditOptions.ClockToleranceMilliseconds"/> (instances a little apart, a clock stepped
/// back a little); a clock further behind is recorded as it is and the mark moves to that commit
/// before it is saved, so the mark never claims an order the log does not have. The mark only ever moves forward:
/// a mark too far forward makes wide periods slower to read, never wrong.
/// </summary>
public sealed class AuditTimeOrder(
    IDbContextFactory<WardenDbContext> contexts,
    TimeProvider clock,
    ILogger<AuditTimeOrder> logger)
{
    private const int ScanBatch = 20_000;

    /// <summary>The mark, when the log has been scanned; null before (readers then treat every time as unordered).</summary>
    public static async Task<long?> OrderedFromAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var mark = await db.AuditTimeOrder.AsNoTracking()
            .Where(m => m.Id == AuditTimeOrderMark.TheMark)
            .Select(m => new { m.OrderedFrom, m.ScannedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return mark?.ScannedAt is null ? null : mark.OrderedFrom;
    }

    /// <summary>
    /// Moves the mark to <paramref name="sequence"/>, the first event of a commit stamped earlier than
    /// the head, through the writer's own <paramref name="db"/> and before that commit's
    /// events are saved (in its transaction when it has one), so no reader ever sees the event under an
    /// older mark. Nothing tracked in <paramref name="db"/> is saved.
    /// </summary>
    public async Task MoveToAsync(WardenDbContext db, long sequence, DateTimeOffset stamped, DateTimeOffset head, CancellationToken cancellationToken)
    {
        await MoveAsync(db, sequence, scannedAt: null, cancellationToken);
        AuditTimeOrderLog.ClockBehind(logger, (head - stamped).TotalMilliseconds, sequence);
    }

    /// <summary>
    /// Reads the times of the events written before the mark existed, once per database, and places
    /// the mark at the last one earlier than the event before it. Events appended meanwhile are in
    /// order or have moved the mark themselves.
    /// </summary>
    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.AuditTimeOrder.AsNoTracking().FirstOrDefaultAsync(m => m.Id == AuditTimeOrderMark.TheMark, cancellationToken);
        if (existing?.ScannedAt is not null)
            return;

        // The ordered tail starts at the last event whose time is earlier than the one before it.
        var (after, previous, orderedFrom) = (0L, DateTimeOffset.MinValue, 1L);
        var through = 0L;
        while (true)
        {
            var from = after;
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence > from)
                .OrderBy(e => e.Sequence)
                .Select(e => new { e.Sequence, e.At })
                .Take(ScanBatch)
                .ToListAsync(cancellationToken);
            foreach (var e in batch)
            {
                through = e.Sequence;
                if (e.At < previous)
                    orderedFrom = e.Sequence;
                previous = e.At;
            }
            if (batch.Count < ScanBatch)
                break;
            after = batch[^1].Sequence;
        }
        await MoveAsync(db, orderedFrom, clock.GetUtcNow(), cancellationToken);
        AuditTimeOrderLog.Scanned(logger, through, orderedFrom);
    }

    /// <summary>
    /// Sets the mark to at least <paramref name="orderedFrom"/>, creating it when missing; with
    /// <paramref name="scannedAt"/>, also records the scan. Each statement compares and sets at once, so
    /// the writer and a scan on another instance can move the mark together and the larger one stays;
    /// none of them goes through the change tracker.
    /// </summary>
    private static async Task MoveAsync(WardenDbContext db, long orderedFrom, DateTimeOffset? scannedAt, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "AuditTimeOrder" ("Id", "OrderedFrom") VALUES ({AuditTimeOrderMark.TheMark}, {orderedFrom}) ON CONFLICT DO NOTHING""",
            cancellationToken);
        await db.AuditTimeOrder.Where(m => m.Id == AuditTimeOrderMark.TheMark && m.OrderedFrom < orderedFrom)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.OrderedFrom, orderedFrom), cancellationToken);
        if (scannedAt is { } at)
        {
            await db.AuditTimeOrder.Where(m => m.Id == AuditTimeOrderMark.TheMark && m.ScannedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ScannedAt, at), cancellationToken);
        }
    }
}

/// <summary>Scans the log's times once, in the background after start-up, when the mark has not been placed yet.</summary>
public sealed class AuditTimeOrderScan(AuditTimeOrder order, ILogger<AuditTimeOrderScan> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // SQLite's asynchronous reads complete synchronously: without this, the whole scan would run
        // inside the host's start-up before the first request is served.
        await Task.Yield();
        try
        {
            await order.ScanAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The audit page then reads wide periods the slower way; nothing else depends on the mark.
            AuditTimeOrderLog.ScanFailed(logger, ex);
        }
    }
}

internal static partial class AuditTimeOrderLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The clock is {BehindMilliseconds} ms behind the audit log's last event, more than the tolerance: event {Sequence} keeps the clock's time, and periods before it are read the slower way.")]
    public static partial void ClockBehind(ILogger logger, double behindMilliseconds, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit log's times were read up to sequence {Through}; they are in order from sequence {OrderedFrom} on.")]
    public static partial void Scanned(ILogger logger, long through, long orderedFrom);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log's times could not be scanned; wide periods are read the slower way until the next start.")]
    public static partial void ScanFailed(ILogger logger, Exception exception);
}
