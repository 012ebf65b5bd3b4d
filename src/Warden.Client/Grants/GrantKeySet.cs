using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Warden.Client;

/// <summary>The public keys grants are signed with, read from a JWKS document (EC P-256 and RSA signing keys).</summary>
public sealed class GrantKeySet
{
    private readonly Dictionary<string, GrantKey> _keys;
    private readonly Dictionary<string, GrantKey>.AlternateLookup<ReadOnlySpan<char>> _byKeyId;

    private GrantKeySet(Dictionary<string, GrantKey> keys)
    {
        _keys = keys;
        _byKeyId = keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>Reads a JWKS document; keys that are not EC P-256 or RSA signing keys with a <c>kid</c> are skipped.</summary>
    public static GrantKeySet Parse(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        var keys = new Dictionary<string, GrantKey>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("keys", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var jwk in list.EnumerateArray())
            {
                if (ToKey(jwk) is { } key)
                    keys[key.KeyId] = key;
            }
        }
        return new GrantKeySet(keys);
    }

    internal GrantKey? Find(ReadOnlySpan<char> keyId) => _byKeyId.TryGetValue(keyId, out var key) ? key : null;

    private static GrantKey? ToKey(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object || Text(jwk, "kid") is not { Length: > 0 } kid)
            return null;
        if (Text(jwk, "use") is { } use && use != "sig")
            return null;
        try
        {
            return Text(jwk, "kty") switch
            {
                "EC" when Text(jwk, "crv") == "P-256" => new GrantKey(kid, "ES256", Ec(jwk), null),
                "RSA" => new GrantKey(kid, "RS256", null, Rsa(jwk)),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static ECDsa Ec(JsonElement jwk) => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Bytes(jwk, "x"), Y = Bytes(jwk, "y") },
    });

    private static RSA Rsa(JsonElement jwk) => RSA.Create(new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") });

    private static byte[] Bytes(JsonElement jwk, string name) =>
        Base64Url.DecodeFromChars(Text(jwk, name) ?? throw new FormatException($"The key has no '{name}'."));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// One public key: ES256 (EC P-256) or RS256 (RSA), imported once when the key set is read. Verifying
/// never changes the key, so one instance serves concurrent calls (as IdentityModel shares its keys).
/// </summary>
internal sealed record GrantKey(string KeyId, string Algorithm, ECDsa? Ec, RSA? Rsa)
{
    /// <summary>64 bytes for ES256 (r and s of 32 bytes each), the modulus length for RS256.</summary>
    public int SignatureLength { get; } = Ec is not null ? 64 : (Rsa!.KeySize + 7) / 8;

    /// <summary>Whether <paramref name="signature"/> signs the SHA-256 <paramref name="hash"/> of the signing input; false for any fault.</summary>
    public bool VerifiesHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
            return false;
        try
        {
            return Ec is not null
                ? Ec.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                : Rsa!.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
