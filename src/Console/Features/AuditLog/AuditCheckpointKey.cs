using System.Security.Cryptography;
using Warden.Domain.Audit;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;

namespace Warden.Features.AuditLog;

/// <summary>
/// The checkpoint signing key: 32 random bytes, one for every instance, kept in the key store sealed
/// under the key-encryption key. The KEK lives outside the database, so a rewritten database cannot
/// carry fresh signatures. A data folder's audit-checkpoint.key from before keys were shared is imported once.
/// </summary>
public sealed class AuditCheckpointKey(KeyStore keys, DatabaseConnection connection) : IStoredKeyUser
{
    public const string KeyName = "audit-checkpoint";
    public const string FileName = "audit-checkpoint.key";

    private readonly Lazy<AuditCheckpointSigner> _signer = new(() => new AuditCheckpointSigner(
        keys.GetOrCreate(KeyName, "hmac-sha256", () => RandomNumberGenerator.GetBytes(32), () => DataFolderKeyFile.Read(connection.DataDirectory, FileName))));

    public AuditCheckpointSigner Signer => _signer.Value;

    public void LoadKeys() => _ = _signer.Value;
}
