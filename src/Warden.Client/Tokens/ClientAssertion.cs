namespace Warden.Client;

/// <summary>
/// The JWT an agent signs to authenticate with <c>private_key_jwt</c>, as Warden's token endpoint
/// accepts it: <c>typ: client-authentication+jwt</c>, the issuer as audience, a fresh <c>jti</c> each time.
/// </summary>
internal static class ClientAssertion
{
    public const string Type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public static string Create(string clientId, Uri issuer, WardenSigningKey key, DateTimeOffset now)
    {
        var header = new Dictionary<string, string>
        {
            ["alg"] = key.Algorithm,
            ["kid"] = key.KeyId,
            ["typ"] = "client-authentication+jwt",
        };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = issuer.AbsoluteUri,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
        };
        return CompactJws.Sign(header, claims, key.Sign);
    }
}
