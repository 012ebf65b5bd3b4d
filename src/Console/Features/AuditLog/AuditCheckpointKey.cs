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

    private static byte[] LoadOrCreate(string dataDirectory) => DataFolderSecret.LoadOrCreate(dataDirectory, FileName, 32);
}
