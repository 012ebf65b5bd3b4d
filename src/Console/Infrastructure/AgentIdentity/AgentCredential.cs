namespace Warden.Infrastructure.AgentIdentity;

/// <summary>Warden's own record of an agent's credentials, beside its OpenIddict application.</summary>
public sealed class AgentCredential
{
    public string AgentId { get; set; } = string.Empty;
    public DateTimeOffset? SecretIssuedAt { get; set; }
    public DateTimeOffset? SecretRotatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Tokens issued before this moment are refused, whatever their expiry.</summary>
    public DateTimeOffset? TokensValidAfter { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
    public int AccessTokenLifetimeMinutes { get; set; } = AgentTokenLifetime.DefaultMinutes;
}

/// <summary>A replaced client secret that keeps working until the overlap the owner chose ends.</summary>
public sealed class PreviousClientSecret
{
    public long Id { get; set; }
    public string AgentId { get; set; } = string.Empty;
    public string SecretHash { get; set; } = string.Empty;
    public DateTimeOffset ValidUntil { get; set; }
}

/// <summary>One access token handed to an agent.</summary>
public sealed class TokenIssuance
{
    public long Id { get; set; }
    public string AgentId { get; set; } = string.Empty;
    public DateTimeOffset IssuedAt { get; set; }
    public string TokenId { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
    public string ClientAuthenticationMethod { get; set; } = string.Empty;
}

/// <summary>A client assertion already accepted once; its <c>jti</c> may never be used again.</summary>
public sealed class UsedClientAssertion
{
    public string Jti { get; set; } = string.Empty;
    public string AgentId { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
}
