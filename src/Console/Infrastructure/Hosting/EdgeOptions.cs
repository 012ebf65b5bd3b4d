using System.ComponentModel.DataAnnotations;

namespace Warden.Infrastructure.Hosting;

/// <summary>What Warden trusts at its edge: the proxies in front of it and the origins that may open the console's circuit.</summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Edge";

    /// <summary>Proxies (IP addresses) whose X-Forwarded-For and X-Forwarded-Proto are believed; loopback always is.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8) whose forwarded headers are believed.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Origins besides the one a request arrives on that may open the console's Blazor circuit (e.g. https://warden.example.com).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Longest path and query the API accepts; longer ones get a 414 problem.</summary>
    [Range(256, 65_536)]
    public int MaxUrlLength { get; set; } = 8192;

    /// <summary>HSTS max-age sent on HTTPS responses outside development.</summary>
    [Range(0, 63_072_000)]
    public int HstsMaxAgeSeconds { get; set; } = 31_536_000;
}
