using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Warden.Domain;

namespace Warden.Features.Credentials;

/// <summary>Reads a public JWK an owner pasted: RSA or EC, public part only, with a key id.</summary>
internal static class PublicKeys
{
    private const int MaxLength = 8_192;

    public static Result<JsonWebKey> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > MaxLength)
            return CredentialErrors.InvalidKey("paste one JSON Web Key (JWK).");
        JsonWebKey key;
        try
        {
            key = new JsonWebKey(json);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException)
        {
            return CredentialErrors.InvalidKey("it is not JSON Web Key JSON.");
        }
        if (key.HasPrivateKey || !string.IsNullOrEmpty(key.D))
            return CredentialErrors.InvalidKey("it contains a private key; register only the public part.");
        if (key.Kty == JsonWebAlgorithmsKeyTypes.RSA && (string.IsNullOrEmpty(key.N) || string.IsNullOrEmpty(key.E)))
            return CredentialErrors.InvalidKey("an RSA key needs n and e.");
        if (key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && (string.IsNullOrEmpty(key.X) || string.IsNullOrEmpty(key.Y) || string.IsNullOrEmpty(key.Crv)))
            return CredentialErrors.InvalidKey("an EC key needs crv, x and y.");
        if (key.Kty is not (JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve))
            return CredentialErrors.InvalidKey("only RSA and EC keys are supported.");
        if (string.IsNullOrEmpty(key.Kid))
            key.Kid = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
