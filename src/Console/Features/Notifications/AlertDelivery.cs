namespace Warden.Features.Notifications;

/// <summary>
/// One alert on its way to one recipient over one channel (a person's e-mail, a chat channel). Its
/// message is fixed when it is fanned out; every attempt is recorded, so a failing channel shows on the console.
/// </summary>
public sealed class AlertDelivery
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The outbox notification it announces.</summary>
    public string NotificationId { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    /// <summary><see cref="AlertChannels"/>: email, slack or teams.</summary>
    public string Channel { get; set; } = string.Empty;

    /// <summary>The e-mail address, or the channel's name for chat.</summary>
    public string Recipient { get; set; } = string.Empty;

    public string? UserId { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;

    public string Link { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset? AbandonedAt { get; set; }

    public string? LastError { get; set; }
}

public static class AlertChannels
{
    public const string Email = "email";
    public const string Slack = "slack";
    public const string Teams = "teams";
}

/// <summary>A person's choice for one alert kind; without one, the role defaults apply.</summary>
public sealed class AlertPreference
{
    public string UserId { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public bool Email { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>How far the alert follower has read the audit log, and which instance follows it now.</summary>
public sealed class AlertCursor
{
    public const string AuditLog = "audit";

    public string Name { get; set; } = AuditLog;

    /// <summary>The last audit sequence turned into alerts (or passed over).</summary>
    public long Position { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }
}
