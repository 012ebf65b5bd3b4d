using System.Security.Cryptography;

namespace Warden.Client;

/// <summary>
/// An agent's private key for <c>private_key_jwt</c>: RSA (RS256) or an EC P-256 key (ES256), named by
/// the key id its public half was registered under on the agent's Credentials page.
/// </summary>
public sealed class WardenSigningKey
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private WardenSigningKey(string keyId, RSA? rsa, ECDsa? ecdsa)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        KeyId = keyId;
        _rsa = rsa;
        _ecdsa = ecdsa;
    }

    public string KeyId { get; }

    /// <summary><c>RS256</c> or <c>ES256</c>.</summary>
    public string Algorithm => _rsa is not null ? "RS256" : "ES256";

    public static WardenSigningKey FromRsa(RSA rsa, string keyId) =>
        new(keyId, rsa ?? throw new ArgumentNullException(nameof(rsa)), null);

    public static WardenSigningKey FromECDsa(ECDsa ecdsa, string keyId)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        if (ecdsa.KeySize != 256)
            throw new ArgumentException("ES256 needs a P-256 key.", nameof(ecdsa));
        return new(keyId, null, ecdsa);
    }

    /// <summary>A PEM private key (PKCS#8, PKCS#1 or SEC 1), RSA or EC P-256.</summary>
    public static WardenSigningKey FromPem(string pem, string keyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return FromECDsa(ec, keyId);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            ec.Dispose();
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return FromRsa(rsa, keyId);
    }

    internal byte[] Sign(byte[] data) => _rsa is not null
        ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : _ecdsa!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
