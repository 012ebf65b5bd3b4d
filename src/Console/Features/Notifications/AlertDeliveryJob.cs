using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Persistence;

namespace Warden.Features.Notifications;

/// <summary>
/// Sends one alert delivery and records the attempt; on failure the next attempt is scheduled with
/// backoff, until <see cref="NotificationOptions.MaxAttempts"/>. It runs on the job queue, so a slow
/// or unreachable mail server or chat endpoint never holds up the decision or action it announces.
/// </summary>
public sealed partial class AlertDeliveryJob(
    IDbContextFactory<WardenDbContext> contexts,
    AlertSenders senders,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<AlertDeliveryJob> logger)
{
    private static readonly TimeSpan EarlyStart = TimeSpan.FromSeconds(2);

    [AutomaticRetry(Attempts = 0)]
    public async Task DeliverAsync(string id, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Claim the attempt: a retry and the sweep arriving together send it once.
        var claimedAt = clock.GetUtcNow();
        var lease = claimedAt + TimeSpan.FromSeconds(Math.Max(1, settings.TimeoutSeconds) + 30);
        var claimed = await db.Set<AlertDelivery>()
            .Where(d => d.Id == id && d.DeliveredAt == null && d.AbandonedAt == null && d.NextAttemptAt <= claimedAt + EarlyStart)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.NextAttemptAt, lease), cancellationToken);
        if (claimed == 0)
            return;
        var delivery = await db.Set<AlertDelivery>().SingleAsync(d => d.Id == id, cancellationToken);

        var error = await senders.SendAsync(delivery, cancellationToken);
        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        if (error is null)
        {
            delivery.DeliveredAt = now;
            delivery.LastError = null;
        }
        else
        {
            delivery.LastError = error.Length > 500 ? error[..500] : error;
            Failed(logger, id, delivery.Channel, delivery.Attempts, delivery.LastError);
            if (delivery.Attempts >= settings.MaxAttempts)
                delivery.AbandonedAt = now;
            else
                delivery.NextAttemptAt = now + settings.DelayAfter(delivery.Attempts);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        if (delivery.DeliveredAt is null && delivery.AbandonedAt is null)
            jobs.Schedule<AlertDeliveryJob>(job => job.DeliverAsync(id, CancellationToken.None), settings.DelayAfter(delivery.Attempts));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert delivery {Id} over {Channel} failed (attempt {Attempt}): {Error}")]
    private static partial void Failed(ILogger logger, string id, string channel, int attempt, string error);
}
