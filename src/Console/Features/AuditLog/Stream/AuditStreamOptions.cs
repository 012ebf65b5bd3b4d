using System.ComponentModel.DataAnnotations;

namespace Warden.Features.AuditLog.Stream;

public enum AuditStreamFormat
{
    /// <summary>One JSON object per event: every field of the event, its hash and the previous event's hash.</summary>
    Json,
    /// <summary>ArcSight Common Event Format.</summary>
    Cef,
}

/// <summary>Where the audit log is streamed: a SIEM's syslog receiver (RFC 5424 over TCP, RFC 6587 octet counting, optionally TLS).</summary>
public sealed class AuditStreamOptions : IValidatableObject
{
    public const string SectionName = "AuditStream";

    public bool Enabled { get; set; }

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 6514;

    /// <summary>TLS (RFC 5425); the server's certificate is checked against the system's trusted roots and <see cref="TlsServerName"/>.</summary>
    public bool Tls { get; set; }

    /// <summary>The name the server's certificate must carry; the host by default.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>When set, the server's certificate must be exactly this one (SHA-256 of the certificate, hex): for a SIEM with a private certificate.</summary>
    public string? TlsCertificateSha256 { get; set; }

    public AuditStreamFormat Format { get; set; } = AuditStreamFormat.Json;

    /// <summary>The syslog facility (13: log audit).</summary>
    [Range(0, 23)]
    public int Facility { get; set; } = 13;

    [Range(1, 5000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long to wait before connecting again after a failure.</summary>
    [Range(1, 600)]
    public int RetrySeconds { get; set; } = 5;

    /// <summary>
    /// How long a connection must stay open after events were written before they count as delivered
    /// (syslog over TCP has no acknowledgement): if the receiver goes away sooner, they are sent again.
    /// </summary>
    [Range(0.1, 60)]
    public double ConfirmSeconds { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && string.IsNullOrWhiteSpace(Host))
            yield return new ValidationResult("AuditStream:Host is required when AuditStream:Enabled is true (the SIEM's syslog receiver).", [nameof(Host)]);
        if (TlsCertificateSha256 is { Length: > 0 } pin && (pin.Length != 64 || !pin.All(Uri.IsHexDigit)))
            yield return new ValidationResult("AuditStream:TlsCertificateSha256 must be the certificate's SHA-256 in hex (64 characters).", [nameof(TlsCertificateSha256)]);
        if (TlsCertificateSha256 is { Length: > 0 } && !Tls)
            yield return new ValidationResult("AuditStream:TlsCertificateSha256 pins a TLS certificate: set AuditStream:Tls to true.", [nameof(Tls)]);
    }
}

/// <summary>
/// How far the stream has delivered, persisted so it resumes after a restart or an outage without a
/// gap, and which instance streams (a lease, so several instances on one database stream once).
/// </summary>
public sealed class AuditStreamCursor
{
    public const string DefaultName = "siem";

    public string Name { get; set; } = DefaultName;

    /// <summary>The last sequence delivered: everything up to it reached the receiver (at least once).</summary>
    public long Delivered { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? FailingSince { get; set; }
}
