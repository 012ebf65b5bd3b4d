using System.ComponentModel.DataAnnotations;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// How failed client authentications on the token endpoint slow down and then lock out the next
/// attempts, per client id and per source address. Counts are kept per instance (see
/// <see cref="CredentialThrottle"/>).
/// </summary>
public sealed class CredentialThrottleOptions
{
    public const string SectionName = "AgentIdentity:Throttle";

    /// <summary>Failures of one client id answered at once; each further one doubles the wait before the next attempt.</summary>
    [Range(1, 1000)]
    public int ClientFreeFailures { get; set; } = 5;

    /// <summary>Failures of one client id that lock it out for <see cref="LockoutSeconds"/>.</summary>
    [Range(1, 10_000)]
    public int ClientLockoutFailures { get; set; } = 10;

    /// <summary>Failures from one source address (any client ids) answered at once.</summary>
    [Range(1, 100_000)]
    public int AddressFreeFailures { get; set; } = 20;

    /// <summary>Failures from one source address that lock it out.</summary>
    [Range(1, 100_000)]
    public int AddressLockoutFailures { get; set; } = 50;

    /// <summary>The first wait after the free failures; it doubles with each failure up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(1, 3600)]
    public int BackoffSeconds { get; set; } = 1;

    [Range(1, 3600)]
    public int MaxBackoffSeconds { get; set; } = 60;

    [Range(1, 86_400)]
    public int LockoutSeconds { get; set; } = 900;

    /// <summary>Failures are forgotten after this long without another one.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 900;
}
