namespace Warden.Features.Notifications;

/// <summary>Where notifications and alerts go and how hard Warden tries to deliver them.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The receiver of outbound notifications (a chat or paging bridge). Empty: nothing is sent.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The shared secret for the <c>Warden-Signature</c> HMAC-SHA256 over the body.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The group escalations are addressed to, carried in the payload for routing.</summary>
    public string EscalationGroup { get; set; } = "security-oncall";

    /// <summary>The console's public address, for deep links in payloads (for example https://warden.example.com).</summary>
    public string? ConsoleUrl { get; set; }

    /// <summary>Waits between attempts; the last one repeats until <see cref="MaxAttempts"/>.</summary>
    public double[] RetryDelaysSeconds { get; set; } = [5, 30, 120, 600, 1800];

    public int MaxAttempts { get; set; } = 12;

    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>E-mail to people, by their own choice of alert kinds.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>A Slack incoming webhook for a team channel.</summary>
    public ChatOptions Slack { get; set; } = new();

    /// <summary>A Microsoft Teams incoming webhook (or Workflows "post to a channel when a webhook request is received").</summary>
    public ChatOptions Teams { get; set; } = new();

    /// <summary>How many days ahead an owner hears that an attestation falls due.</summary>
    public int AttestationNoticeDays { get; set; } = 14;

    /// <summary>How many days ahead an owner hears that a replaced secret stops working.</summary>
    public int CredentialNoticeDays { get; set; } = 3;

    /// <summary>When the daily alerts (attestations, credentials) are looked for.</summary>
    public string CalendarCron { get; set; } = "0 7 * * *";

    public bool WebhookEnabled => !string.IsNullOrWhiteSpace(WebhookUrl);

    /// <summary>Whether alerts fan out to people and chat channels (e-mail or a chat webhook is configured).</summary>
    public bool AlertsEnabled => Smtp.Enabled || Slack.Enabled || Teams.Enabled;

    public bool Enabled => WebhookEnabled || AlertsEnabled;

    public TimeSpan DelayAfter(int attempts)
    {
        if (RetryDelaysSeconds.Length == 0)
            return TimeSpan.FromSeconds(30);
        var index = Math.Clamp(attempts - 1, 0, RetryDelaysSeconds.Length - 1);
        return TimeSpan.FromSeconds(RetryDelaysSeconds[index]);
    }
}

/// <summary>The SMTP server alerts are sent through. The password is read from configuration and never shown.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>Auto (STARTTLS when offered), None, StartTls or SslOnConnect.</summary>
    public string Security { get; set; } = "Auto";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "Warden <warden@localhost>";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>A chat channel's incoming webhook. The URL is a secret: it is never shown back.</summary>
public sealed class ChatOptions
{
    public string? WebhookUrl { get; set; }

    /// <summary>The alert kinds posted to the channel; empty: every kind.</summary>
    public string[] Kinds { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookUrl);

    public bool Wants(string kind) => Kinds.Length == 0 || Kinds.Contains(kind, StringComparer.Ordinal);
}
