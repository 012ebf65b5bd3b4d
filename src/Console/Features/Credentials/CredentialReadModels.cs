using Warden.Domain;

namespace Warden.Features.Credentials;

/// <summary>An agent's credentials as its page shows them: never a secret, only when it was set.</summary>
public sealed record CredentialDetails(
    string AgentId,
    bool HasSecret,
    DateTimeOffset? SecretIssuedAt,
    DateTimeOffset? SecretRotatedAt,
    DateTimeOffset? PreviousSecretValidUntil,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    int TokenLifetimeMinutes,
    IReadOnlyList<PublicKeyRow> PublicKeys,
    IReadOnlyList<TokenIssuanceRow> RecentTokens,
    bool CanManage,
    bool CanReenable);

public sealed record PublicKeyRow(string KeyId, string KeyType, string? Algorithm);

public sealed record TokenIssuanceRow(DateTimeOffset IssuedAt, string TokenId, DateTimeOffset ExpiresAt, string ClientAuthenticationMethod);

public static class CredentialErrors
{
    public const int MaxPublicKeys = 2;
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(7);

    public static readonly Error SecretExists =
        new("credentials.secret_exists", "The agent already has a client secret; rotate it instead.");

    public static readonly Error RevokedNeedsOfficer =
        new("credentials.revoked_needs_officer", "The credentials were revoked; only a security officer can issue new ones.");

    public static readonly Error NoSecret = new("credentials.no_secret", "The agent has no client secret to rotate; issue one first.");

    public static readonly Error AgentRetired = new("credentials.agent_retired", "A retired agent gets no new credentials.");

    public static readonly Error TooManyKeys =
        new("credentials.too_many_keys", $"An agent has at most {MaxPublicKeys} public keys; remove the old one first.");

    public static readonly Error KeyNotFound = new("credentials.key_not_found", "The agent has no public key with that id.");

    public static readonly Error KeyExists = new("credentials.key_exists", "A public key with that id is already registered.");

    public static readonly Error InvalidOverlap =
        new("credentials.invalid_overlap", $"The overlap must be between zero and {MaxOverlap.TotalDays:0} days.");

    public static readonly Error InvalidLifetime =
        new("credentials.invalid_lifetime", "The token lifetime must be between 1 and 60 minutes.");

    public static Error InvalidKey(string why) => new("credentials.invalid_key", $"The public key is not usable: {why}");
}
