namespace Warden.Client;

/// <summary>How a tool checks the grants agents show it, and (for redemption) the tool's own client.</summary>
public sealed class GrantVerifierOptions
{
    public const string SectionName = "WardenGrants";

    /// <summary>The console's address; its keys are read from <c>GET /api/v1/grants/keys</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The grants' audience.</summary>
    public string Audience { get; set; } = "warden-tools";

    /// <summary>When set, a grant's <c>iss</c> must be exactly this (e.g. <c>http://localhost:5080/</c>).</summary>
    public string? Issuer { get; set; }

    /// <summary>Tolerated clock difference on <c>exp</c> and <c>nbf</c>; at most 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long fetched keys are used before they are read again.</summary>
    public TimeSpan KeysLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An unknown <c>kid</c> makes the keys be read again (a rotation), at most this often.</summary>
    public TimeSpan KeysRefetchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The tool's automation client (<c>svc_...</c>, scope <c>grants</c>), needed only to redeem.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public WardenSigningKey? PrivateKey { get; set; }

    public int MaxRetries { get; set; } = 3;

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    internal TimeSpan Skew => ClockSkew < TimeSpan.Zero ? TimeSpan.Zero : ClockSkew > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : ClockSkew;

    internal WardenClientOptions ClientOptions() => new()
    {
        BaseAddress = BaseAddress,
        ClientId = ClientId ?? string.Empty,
        ClientSecret = ClientSecret,
        PrivateKey = PrivateKey,
        MaxRetries = MaxRetries,
        AttemptTimeout = AttemptTimeout,
    };
}
