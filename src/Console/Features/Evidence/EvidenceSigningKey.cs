using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Storage;

namespace Warden.Features.Evidence;

/// <summary>
/// The ECDSA P-256 key that signs pack manifests: configured, or generated once into the data folder
/// (evidence-signing.key, readable by the owner only). Auditors check signatures against its public
/// key, which anyone may download; the fingerprint is the SHA-256 of that public key.
/// </summary>
public sealed class EvidenceSigningKey : IDisposable
{
    public const string FileName = "evidence-signing.key";
    public const string Algorithm = "ECDSA P-256 SHA-256";

    private readonly ECDsa _key;

    public EvidenceSigningKey(DatabaseConnection connection, IOptions<EvidenceOptions> options)
        : this(LoadOrCreate(connection.DataDirectory, options.Value.SigningKeyPath))
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

    public void Dispose() => _key.Dispose();

    private static ECDsa LoadOrCreate(string dataDirectory, string? configuredPath)
    {
        var key = ECDsa.Create();
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            if (!File.Exists(configuredPath))
                throw new StartupException($"The configured evidence signing key '{configuredPath}' does not exist.");
            key.ImportFromPem(File.ReadAllText(configuredPath));
            return key;
        }
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, fileOptions);
            using var writer = new StreamWriter(file);
            writer.Write(key.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        return key;
    }
}
