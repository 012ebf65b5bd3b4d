namespace Warden.Client;

/// <summary>How to reach Warden and who the agent is. Give a client secret or a private key, not both.</summary>
public sealed class WardenClientOptions
{
    public const string SectionName = "Warden";

    /// <summary>The console's address, e.g. <c>http://localhost:5080</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The agent's client id (<c>agt_...</c>), or an automation client's (<c>svc_...</c>).</summary>
    public string ClientId { get; set; } = string.Empty;

    public string? ClientSecret { get; set; }

    /// <summary>For <c>private_key_jwt</c>: the key whose public half is registered on the agent.</summary>
    public WardenSigningKey? PrivateKey { get; set; }

    /// <summary>
    /// The audience of client assertions: the token endpoint's issuer. By default the base address with a
    /// trailing slash, which is what Warden uses unless <c>AgentIdentity:Issuer</c> names another.
    /// </summary>
    public Uri? TokenIssuer { get; set; }

    /// <summary>A cached token is replaced this long before it expires (at most half its lifetime).</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a call that failed in a way that is safe to repeat (5xx, timeouts, lost connections).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A 429 or 503 is retried only when its <c>Retry-After</c> is no longer than this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one attempt may take (a long-poll gets its wait on top).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    internal void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
            throw new InvalidOperationException("Warden:BaseAddress must be the console's absolute address, e.g. http://localhost:5080.");
        if (string.IsNullOrWhiteSpace(ClientId))
            throw new InvalidOperationException("Warden:ClientId is required (the agent's agt_... id).");
        if (string.IsNullOrEmpty(ClientSecret) == (PrivateKey is null))
            throw new InvalidOperationException("Give Warden either a client secret or a private key (private_key_jwt), not both and not neither.");
        if (MaxRetries < 0)
            throw new InvalidOperationException("Warden:MaxRetries cannot be negative.");
    }

    /// <summary>The base address with a trailing slash, so relative paths resolve under it.</summary>
    internal Uri Root => BaseAddress!.AbsoluteUri.EndsWith('/') ? BaseAddress : new Uri(BaseAddress.AbsoluteUri + "/");

    internal Uri Issuer => TokenIssuer ?? Root;
}
