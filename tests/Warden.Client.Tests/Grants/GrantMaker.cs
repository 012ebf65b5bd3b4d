using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Warden.Client.Tests.Grants;

/// <summary>
/// Grants as the contract describes them, signed in the test with IdentityModel (an implementation
/// independent of the client's), so the verifier is checked against tokens it did not make.
/// </summary>
internal static class GrantMaker
{
    public const string Issuer = "http://localhost:5080/";

    public static string Make(
        SecurityKey key, string algorithm, WardenAsk call, DateTimeOffset now,
        TimeSpan? expiresIn = null, string type = "warden-grant+jwt", string audience = "warden-tools", string? digest = null, TimeSpan? validFrom = null)
    {
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(5));
        var notBefore = now + (validFrom ?? TimeSpan.FromMinutes(-1));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            TokenType = type,
            Subject = new ClaimsIdentity(
            [
                new Claim("jti", "dec_test_" + Guid.NewGuid().ToString("N")[..8]),
                new Claim("sub", "agt_demo_support"),
                new Claim("tool", call.Tool),
                new Claim("operation", call.Operation.ToLowerInvariant()),
                new Claim("resource", call.Resource),
                new Claim("digest", digest ?? RequestDigest.Of(call)),
            ]),
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    public static ECDsaSecurityKey Ec(ECDsa ec, string kid) => new(ec) { KeyId = kid };

    public static RsaSecurityKey Rsa(RSA rsa, string kid) => new(rsa) { KeyId = kid };
}
