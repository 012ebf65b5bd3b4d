using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Warden.Infrastructure.Hosting;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// The token signing and encryption keys: loaded from configured files, or generated once into the
/// data folder so that tokens stay valid across restarts. Never ephemeral.
/// </summary>
public static class AgentIdentityKeys
{
    public static X509Certificate2 Signing(AgentIdentityOptions options, string dataDirectory, TimeProvider clock) =>
        LoadOrCreate(options.SigningCertificatePath, options.SigningCertificatePassword,
            Path.Combine(dataDirectory, "keys", "signing.pfx"), X509KeyUsageFlags.DigitalSignature, "Warden token signing", clock);

    public static X509Certificate2 Encryption(AgentIdentityOptions options, string dataDirectory, TimeProvider clock) =>
        LoadOrCreate(options.EncryptionCertificatePath, options.EncryptionCertificatePassword,
            Path.Combine(dataDirectory, "keys", "encryption.pfx"), X509KeyUsageFlags.KeyEncipherment, "Warden token encryption", clock);

    private static X509Certificate2 LoadOrCreate(
        string? configuredPath, string? password, string generatedPath, X509KeyUsageFlags usage, string subject, TimeProvider clock)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            if (!File.Exists(configuredPath))
                throw new StartupException($"The configured agent identity key '{configuredPath}' does not exist.");
            return Load(configuredPath, password);
        }
        if (File.Exists(generatedPath))
            return Load(generatedPath, null);

        Directory.CreateDirectory(Path.GetDirectoryName(generatedPath)!);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest($"CN={subject}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        var temporary = generatedPath + ".tmp";
        File.WriteAllBytes(temporary, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, generatedPath, overwrite: false);
        return Load(generatedPath, null);
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"The agent identity key '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
