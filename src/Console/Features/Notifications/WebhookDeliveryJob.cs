using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Persistence;

namespace Warden.Features.Notifications;

/// <summary>
/// Delivers one notification: POSTs its JSON to the webhook with an HMAC-SHA256 signature over the
/// exact body, and on any failure schedules the next attempt with backoff. Receivers deduplicate on
/// the <c>Warden-Delivery</c> id, because delivery is at least once.
/// </summary>
public sealed class WebhookDeliveryJob(
    IDbContextFactory<WardenDbContext> contexts,
    IHttpClientFactory http,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<WebhookDeliveryJob> logger)
{
    public const string HttpClientName = "warden-webhook";
    public const string SignatureHeader = "Warden-Signature";
    public const string DeliveryHeader = "Warden-Delivery";
    public const string EventHeader = "Warden-Event";
    private static readonly TimeSpan EarlyStart = TimeSpan.FromSeconds(2);

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [AutomaticRetry(Attempts = 0)]
    public async Task DeliverAsync(string id, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.WebhookEnabled)
            return;
        await using var db = contexts.CreateDbContext();
        // Claim the row for this attempt: a retry and the sweep arriving together post it once. The
        // job store keeps schedules in whole seconds, so a retry may start a moment before it is due.
        var claimedAt = clock.GetUtcNow();
        var dueBy = claimedAt + EarlyStart;
        var lease = claimedAt + TimeSpan.FromSeconds(Math.Max(1, settings.TimeoutSeconds) + 30);
        var claimed = await db.Notifications
            .Where(n => n.Id == id && n.DeliveredAt == null && n.AbandonedAt == null && n.NextAttemptAt <= dueBy)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.NextAttemptAt, lease), cancellationToken);
        if (claimed == 0)
            return;
        var notification = await db.Notifications.SingleAsync(n => n.Id == id, cancellationToken);

        var error = await PostAsync(settings, notification, cancellationToken);
        var now = clock.GetUtcNow();
        notification.Attempts++;
        if (error is null)
        {
            notification.DeliveredAt = now;
            notification.LastError = null;
        }
        else
        {
            notification.LastError = error.Length > 500 ? error[..500] : error;
            NotifierLog.DeliveryFailed(logger, id, notification.Attempts, notification.LastError);
            if (notification.Attempts >= settings.MaxAttempts)
            {
                notification.AbandonedAt = now;
                NotifierLog.Abandoned(logger, id, notification.Attempts);
            }
            else
            {
                notification.NextAttemptAt = now + settings.DelayAfter(notification.Attempts);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        if (notification.DeliveredAt is null && notification.AbandonedAt is null)
            jobs.Schedule<WebhookDeliveryJob>(job => job.DeliverAsync(id, CancellationToken.None), settings.DelayAfter(notification.Attempts));
    }

    private async Task<string?> PostAsync(NotificationOptions settings, OutboundNotification notification, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(notification.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.WebhookUrl);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(DeliveryHeader, notification.Id);
        request.Headers.Add(EventHeader, notification.Kind);
        if (!string.IsNullOrEmpty(settings.WebhookSecret))
            request.Headers.Add(SignatureHeader, Sign(settings.WebhookSecret, body));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, settings.TimeoutSeconds)));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }
}

/// <summary>
/// Every minute: sends what was committed but never handed over (or whose retry was lost): webhook
/// posts, fan-outs of alerts and alert deliveries.
/// </summary>
public sealed class NotificationSweepJob(
    IDbContextFactory<WardenDbContext> contexts, IBackgroundJobClient jobs, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string RecurringJobId = "notification-sweep";
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    // Older notifications are not announced late (for example all of them when e-mail is first configured).
    private static readonly TimeSpan Stale = TimeSpan.FromDays(1);

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 30)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var due = clock.GetUtcNow() - Grace;
        await using var db = contexts.CreateDbContext();
        if (settings.WebhookEnabled)
        {
            var ids = await db.Notifications.AsNoTracking()
                .Where(n => n.DeliveredAt == null && n.AbandonedAt == null && n.NextAttemptAt <= due)
                .OrderBy(n => n.NextAttemptAt)
                .Select(n => n.Id)
                .Take(500)
                .ToListAsync(cancellationToken);
            foreach (var id in ids)
                jobs.Enqueue<WebhookDeliveryJob>(job => job.DeliverAsync(id, CancellationToken.None));
        }
        if (!settings.AlertsEnabled)
            return;
        var unfanned = await db.Notifications.AsNoTracking()
            .Where(n => n.FannedOutAt == null && n.CreatedAt <= due && n.CreatedAt >= due - Stale)
            .OrderBy(n => n.CreatedAt)
            .Select(n => n.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var id in unfanned)
            jobs.Enqueue<AlertFanOut>(job => job.FanOutAsync(id, CancellationToken.None));
        var deliveries = await db.Set<AlertDelivery>().AsNoTracking()
            .Where(d => d.DeliveredAt == null && d.AbandonedAt == null && d.NextAttemptAt <= due)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var id in deliveries)
            jobs.Enqueue<AlertDeliveryJob>(job => job.DeliverAsync(id, CancellationToken.None));
    }
}
