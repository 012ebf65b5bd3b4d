using System.Security.Cryptography;
using Warden.Domain.Audit;
using Warden.Infrastructure.Storage;

namespace Warden.Features.AuditLog;

/// <summary>
/// The checkpoint signing key: 32 random bytes generated once into the data folder
/// (audit-checkpoint.key), readable by the owner only. It lives beside, never inside, the database,
/// so a rewritten database cannot carry fresh signatures.
/// </summary>
public sealed class AuditCheckpointKey(DatabaseConnection connection)
{
    public const string FileName = "audit-checkpoint.key";

    private readonly Lazy<AuditCheckpointSigner> _signer = new(() => new AuditCheckpointSigner(LoadOrCreate(connection.DataDirectory)));

    public AuditCheckpointSigner Signer => _signer.Value;

    private static byte[] LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
            return File.ReadAllBytes(path);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            file.Write(key);
            file.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }
    }
}
