namespace Warden.Features.Notifications;

/// <summary>
/// One notification waiting for, or past, delivery to the outbound webhook. Written in the same
/// transaction as the event it announces, so nothing is announced that did not happen and nothing
/// that happened goes unannounced; delivered at least once, its id is the receiver's idempotency key.
/// </summary>
public sealed class OutboundNotification
{
    public string Id { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;
    public string Subject { get; set; } = string.Empty;
    public string Payload { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? AbandonedAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>When it was turned into alert deliveries for people and chat channels (once, see <see cref="AlertFanOut"/>).</summary>
    public DateTimeOffset? FannedOutAt { get; set; }
}
