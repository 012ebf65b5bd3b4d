using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Keys;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// The token signing and encryption keys: loaded from configured files, or generated once and kept in
/// the key store for every instance, so a token minted by one instance validates on all of them and
/// after restarts. Never ephemeral. A data folder's keys/signing.pfx and keys/encryption.pfx from
/// before keys were shared are imported once.
/// </summary>
public static class AgentIdentityKeys
{
    public const string SigningKeyName = "token-signing";
    public const string EncryptionKeyName = "token-encryption";
    public const string Purpose = "rsa-3072-pkcs12";

    public static X509Certificate2 Signing(AgentIdentityOptions options, KeyStore keys, string dataDirectory, TimeProvider clock) =>
        LoadOrCreate(options.SigningCertificatePath, options.SigningCertificatePassword, keys, SigningKeyName,
            Path.Combine(dataDirectory, "keys", "signing.pfx"), X509KeyUsageFlags.DigitalSignature, "Warden token signing", clock);

    public static X509Certificate2 Encryption(AgentIdentityOptions options, KeyStore keys, string dataDirectory, TimeProvider clock) =>
        LoadOrCreate(options.EncryptionCertificatePath, options.EncryptionCertificatePassword, keys, EncryptionKeyName,
            Path.Combine(dataDirectory, "keys", "encryption.pfx"), X509KeyUsageFlags.KeyEncipherment, "Warden token encryption", clock);

    private static X509Certificate2 LoadOrCreate(
        string? configuredPath, string? password, KeyStore keys, string name, string legacyPath, X509KeyUsageFlags usage, string subject, TimeProvider clock)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            if (!File.Exists(configuredPath))
                throw new StartupException($"The configured agent identity key '{configuredPath}' does not exist.");
            return Load(File.ReadAllBytes(configuredPath), password, configuredPath);
        }
        var pkcs12 = keys.GetOrCreate(name, Purpose, () => NewKey(usage, subject, clock), () => File.Exists(legacyPath) ? File.ReadAllBytes(legacyPath) : null);
        return Load(pkcs12, null, $"stored key '{name}'");
    }

    /// <summary>A new RSA-3072 key in a self-signed certificate for <paramref name="usage"/>, as PKCS#12 without a password.</summary>
    public static byte[] NewKey(X509KeyUsageFlags usage, string subject, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest($"CN={subject}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return certificate.Export(X509ContentType.Pkcs12);
    }

    private static X509Certificate2 Load(byte[] pkcs12, string? password, string source)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12(pkcs12, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"The agent identity key ({source}) cannot be read: {ex.Message}", ex);
        }
    }
}
