using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using Warden.Persistence;

namespace Warden.Features.Notifications;

/// <summary>
/// Puts notifications into the outbox inside the caller's transaction, and hands committed ones to
/// the delivery job. Payloads carry a deep link to the console, never a way to act from outside it.
/// </summary>
public sealed class Notifier(IOptions<NotificationOptions> options, IBackgroundJobClient jobs, ILogger<Notifier> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool Enabled => options.Value.Enabled;

    public string EscalationGroup => options.Value.EscalationGroup;

    /// <summary>A deep link to <paramref name="path"/> in the console, or the bare path when no public address is configured.</summary>
    public string Link(string path) =>
        options.Value.ConsoleUrl is { Length: > 0 } url ? url.TrimEnd('/') + path : path;

    /// <summary>Adds a notification to <paramref name="db"/>; it is sent once the caller's transaction commits.</summary>
    public string? Queue(WardenDbContext db, string kind, string subject, object body, DateTimeOffset now) =>
        Queue(db, "ntf_" + Guid.CreateVersion7(now).ToString("N"), kind, subject, body, now);

    /// <summary>As <see cref="Queue(WardenDbContext, string, string, object, DateTimeOffset)"/>, under an id the caller derived (to announce something once).</summary>
    public string? Queue(WardenDbContext db, string id, string kind, string subject, object body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!Enabled)
            return null;
        var payload = JsonSerializer.Serialize(new { id, type = kind, occurredAt = now, data = body }, Json);
        db.Notifications.Add(new OutboundNotification
        {
            Id = id,
            Kind = kind,
            Subject = subject,
            Payload = payload,
            CreatedAt = now,
            NextAttemptAt = now,
        });
        return id;
    }

    /// <summary>Starts delivery of committed notifications. A lost hand-off is picked up by the sweep.</summary>
    public void Dispatch(IEnumerable<string?> ids)
    {
        foreach (var id in ids)
        {
            if (id is null)
                continue;
            try
            {
                if (options.Value.WebhookEnabled)
                    jobs.Enqueue<WebhookDeliveryJob>(job => job.DeliverAsync(id, CancellationToken.None));
                if (options.Value.AlertsEnabled)
                    jobs.Enqueue<AlertFanOut>(job => job.FanOutAsync(id, CancellationToken.None));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                NotifierLog.EnqueueFailed(logger, ex, id);
            }
        }
    }
}

internal static partial class NotifierLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} could not be handed to the job queue now; the sweep will send it.")]
    public static partial void EnqueueFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery of {Id} failed (attempt {Attempt}): {Error}")]
    public static partial void DeliveryFailed(ILogger logger, string id, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery of {Id} was abandoned after {Attempts} attempts.")]
    public static partial void Abandoned(ILogger logger, string id, int attempts);
}
