using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;

namespace Warden.Features.Evidence;

/// <summary>
/// The ECDSA P-256 key that signs pack manifests: configured, or generated once into the shared key
/// store, so every instance signs with it (a data folder's evidence-signing.key from before keys were
/// shared is imported once). Auditors check signatures against its public
/// key, which anyone may download; the fingerprint is the SHA-256 of that public key.
/// </summary>
public sealed class EvidenceSigningKey : IDisposable, IStoredKeyUser
{
    public const string KeyName = "evidence-signing";
    public const string FileName = "evidence-signing.key";
    public const string Algorithm = "ECDSA P-256 SHA-256";

    private readonly ECDsa _key;

    public EvidenceSigningKey(KeyStore keys, DatabaseConnection connection, IOptions<EvidenceOptions> options)
        : this(LoadOrCreate(keys, connection.DataDirectory, options.Value.SigningKeyPath))
    {
    }

    private EvidenceSigningKey(ECDsa key)
    {
        _key = key;
        var publicKey = key.ExportSubjectPublicKeyInfo();
        PublicKeyPem = PemEncoding.WriteString("PUBLIC KEY", publicKey);
        Fingerprint = FingerprintOf(publicKey);
    }

    public string PublicKeyPem { get; }

    public string Fingerprint { get; }

    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public static string FingerprintOf(byte[] subjectPublicKeyInfo) =>
        "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>Nothing left to load: the key was read when this was made.</summary>
    public void LoadKeys()
    {
    }

    public void Dispose() => _key.Dispose();

    private static ECDsa LoadOrCreate(KeyStore keys, string dataDirectory, string? configuredPath)
    {
        var key = ECDsa.Create();
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            if (!File.Exists(configuredPath))
                throw new StartupException($"The configured evidence signing key '{configuredPath}' does not exist.");
            key.ImportFromPem(File.ReadAllText(configuredPath));
            return key;
        }
        var pem = keys.GetOrCreate(KeyName, "ecdsa-p256-pkcs8-pem", NewKey, () => DataFolderKeyFile.Read(dataDirectory, FileName));
        key.ImportFromPem(Encoding.UTF8.GetString(pem));
        return key;
    }

    private static byte[] NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Encoding.UTF8.GetBytes(key.ExportPkcs8PrivateKeyPem());
    }
}
