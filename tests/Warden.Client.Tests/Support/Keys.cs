using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Warden.Client.Tests.Support;

/// <summary>Key pairs made in the test, with their public halves as JWKs.</summary>
public static class Keys
{
    public static string PublicJwk(RSA rsa, string keyId)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = keyId, ["use"] = "sig", ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        });
    }

    public static string PublicJwk(ECDsa ec, string keyId)
    {
        var p = ec.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "EC", ["kid"] = keyId, ["use"] = "sig", ["alg"] = "ES256", ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        });
    }

    public static string Jwks(params string[] jwks) => "{\"keys\":[" + string.Join(",", jwks) + "]}";
}
