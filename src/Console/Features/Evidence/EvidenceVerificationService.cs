using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>
/// Verifies a stored pack, or the files of a pack an auditor uploads, against Warden's signing key;
/// a pack that verifies also has its signed heads of the audit chain looked up in today's chain, so a
/// chain truncated or replaced since the pack was built is named (ADR 0019).
/// </summary>
public sealed class EvidenceVerificationService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    EvidenceStore store,
    EvidenceSigningKey key,
    AuditCheckpointKey sealKey)
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
            return await WithSignedHeadsAsync(folder, cancellationToken);
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
            return await WithSignedHeadsAsync(folder, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<EvidenceVerificationReport> WithSignedHeadsAsync(string folder, CancellationToken cancellationToken)
    {
        var report = EvidencePackVerifier.Verify(folder, key.PublicKeyPem);
        if (!report.Verified)
            return report;
        var manifest = EvidenceManifest.Parse(await File.ReadAllBytesAsync(EvidenceFiles.Locate(folder, EvidenceFiles.Manifest), cancellationToken));
        if (manifest is null || manifest.Chain.SignedHeads.Count == 0)
            return report;
        var passed = report.Passed.ToList();
        var mismatches = new List<string>();
        await using var db = contexts.CreateDbContext();
        var end = await db.AuditEvents.AsNoTracking().MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        foreach (var head in manifest.Chain.SignedHeads)
        {
            var seal = AuditCheckpoint.Restore(head.Sequence, head.Hash, head.At, head.Signature);
            var stored = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence == head.Sequence).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken);
            if (!sealKey.Signer.IsGenuine(seal))
                mismatches.Add($"audit chain: the pack's head at sequence {head.Sequence} is not sealed with Warden's key.");
            else if (stored is null)
                mismatches.Add($"audit chain: the pack vouches for sequence {head.Sequence}, but the chain now ends at {end}: events were removed since the pack was built.");
            else if (!string.Equals(stored, head.Hash, StringComparison.Ordinal))
                mismatches.Add($"audit chain: sequence {head.Sequence} differs from the head this pack vouches for: the chain up to it was replaced since the pack was built.");
            else
                passed.Add($"audit chain: still contains the pack's sealed head at sequence {head.Sequence}.");
        }
        return new EvidenceVerificationReport(mismatches.Count == 0, report.PackId, passed, mismatches);
    }
}
