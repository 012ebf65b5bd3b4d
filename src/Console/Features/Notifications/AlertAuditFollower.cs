using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Notifications;
using Warden.Persistence;

namespace Warden.Features.Notifications;

/// <summary>
/// Follows the audit log from a persisted cursor and queues an outbox notification for each event
/// that raises an alert (trips, releases, anomalies, evidence packs, incidents), in the same
/// transaction that moves the cursor: nothing is announced twice or skipped, across restarts and
/// instances (one instance follows at a time, under a lease on the cursor row). It starts from the
/// newest event the first time, so history is not announced.
/// </summary>
public sealed partial class AlertAuditFollower(
    IDbContextFactory<WardenDbContext> contexts,
    Notifier notifier,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<AlertAuditFollower> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);

    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        await Task.Yield();
        long? position = null;
        var leasedAt = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The lease is taken or renewed a few times per lease period, not on every poll.
                if (position is null || clock.GetElapsedTime(leasedAt) >= Lease / 3)
                {
                    position = await LeaseAsync(stoppingToken);
                    leasedAt = clock.GetTimestamp();
                }
                if (position is not { } from)
                {
                    await Task.Delay(Lease / 3, clock, stoppingToken);
                    continue;
                }
                position = await FollowAsync(from, stoppingToken);
                await Task.Delay(Idle, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Following must never stop the app: a failure is logged and retried from the cursor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                position = null;
                Failed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Reads what follows <paramref name="position"/>; the new position, or null when the lease was lost.</summary>
    private async Task<long?> FollowAsync(long position, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var batch = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > position).OrderBy(e => e.Sequence)
                .Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                return position;
            var now = clock.GetUtcNow();
            var alerts = batch.Select(e => (e.Sequence, Alert: AuditAlerts.From(e, notifier.Link))).Where(a => a.Alert is not null).ToList();
            var ids = alerts.Select(a => IdFor(a.Sequence)).ToList();
            var queued = await db.Notifications.Where(n => ids.Contains(n.Id)).Select(n => n.Id).ToListAsync(cancellationToken);
            var dispatch = new List<string?>();
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var (sequence, alert) in alerts)
                    if (!queued.Contains(IdFor(sequence)))
                        dispatch.Add(notifier.Queue(db, IdFor(sequence), alert!.Kind, alert.Subject, alert.Body, now));
                await db.SaveChangesAsync(cancellationToken);
                var last = batch[^1].Sequence;
                var moved = await db.Set<AlertCursor>()
                    .Where(c => c.Name == AlertCursor.AuditLog && c.LeaseOwner == _instance)
                    .ExecuteUpdateAsync(set => set.SetProperty(c => c.Position, last).SetProperty(c => c.UpdatedAt, now)
                        .SetProperty(c => c.LeaseUntil, now + Lease), cancellationToken);
                if (moved == 0)
                    return null; // another instance follows now; this transaction is rolled back
                await transaction.CommitAsync(cancellationToken);
                position = last;
            }
            notifier.Dispatch(dispatch);
            if (batch.Count < BatchSize)
                return position;
        }
        return position;
    }

    /// <summary>One audit event announces once, whichever instance reads it.</summary>
    internal static string IdFor(long sequence) => "ntf_audit_" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Takes or renews the lease; the cursor's position when this instance follows, null when another does.</summary>
    private async Task<long?> LeaseAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<AlertCursor>().AnyAsync(c => c.Name == AlertCursor.AuditLog, cancellationToken))
        {
            var newest = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
            db.Set<AlertCursor>().Add(new AlertCursor { Position = newest, UpdatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance created it at the same moment.
            }
        }
        var now = clock.GetUtcNow();
        var taken = await db.Set<AlertCursor>()
            .Where(c => c.Name == AlertCursor.AuditLog && (c.LeaseOwner == _instance || c.LeaseUntil == null || c.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.LeaseOwner, _instance).SetProperty(c => c.LeaseUntil, now + Lease), cancellationToken);
        if (taken == 0)
            return null;
        return await db.Set<AlertCursor>().AsNoTracking().Where(c => c.Name == AlertCursor.AuditLog).Select(c => c.Position).SingleAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Following the audit log for alerts failed ({Reason}); it resumes from the cursor.")]
    private static partial void Failed(ILogger logger, string reason);
}
