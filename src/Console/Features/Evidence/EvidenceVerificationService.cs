using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>Verifies a stored pack, or the files of a pack an auditor uploads, against Warden's signing key.</summary>
public sealed class EvidenceVerificationService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    EvidenceStore store,
    EvidenceSigningKey key)
{
    private const long MaxUploadBytes = 512L * 1024 * 1024;

    public async Task<Result<EvidenceVerificationReport>> VerifyStoredAsync(string packId, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(EvidenceAccess.Verifiers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = contexts.CreateDbContext();
        if (!await db.EvidencePacks.AnyAsync(p => p.Id == packId && p.Status == EvidencePackStatus.Completed, cancellationToken))
            return EvidenceErrors.PackNotFound(packId);
        var folder = await store.CopyToTemporaryFolderAsync(packId, cancellationToken);
        try
        {
            return EvidencePackVerifier.Verify(folder, key.PublicKeyPem);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Copies the uploaded files into a private temporary folder, verifies them there, and removes them.</summary>
    public async Task<Result<EvidenceVerificationReport>> VerifyUploadAsync(IReadOnlyList<EvidenceUpload> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var actor = await access.RequireAsync(EvidenceAccess.Verifiers);
        if (actor.IsFailure)
            return actor.Error;
        var folder = Directory.CreateTempSubdirectory("warden-verify-").FullName;
        try
        {
            foreach (var file in files)
            {
                var name = EvidenceFiles.CanonicalName(file.Name);
                if (name is null)
                    continue;
                await using var target = File.Create(Path.Combine(folder, name));
                await file.Content.CopyToAsync(target, cancellationToken);
                if (target.Length > MaxUploadBytes)
                    return EvidenceErrors.Invalid(["The files are larger than a pack can be."]);
            }
            return EvidencePackVerifier.Verify(folder, key.PublicKeyPem);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
