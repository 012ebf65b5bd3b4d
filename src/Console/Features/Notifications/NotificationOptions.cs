namespace Warden.Features.Notifications;

/// <summary>Where approval notifications go and how hard Warden tries to deliver them.</summary>
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

    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookUrl);

    public TimeSpan DelayAfter(int attempts)
    {
        if (RetryDelaysSeconds.Length == 0)
            return TimeSpan.FromSeconds(30);
        var index = Math.Clamp(attempts - 1, 0, RetryDelaysSeconds.Length - 1);
        return TimeSpan.FromSeconds(RetryDelaysSeconds[index]);
    }
}
