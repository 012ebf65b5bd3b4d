using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Features.Autonomy;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>
/// Finds the latest evidence pack covering an agent (its own, its owner's, its segment's, or one of
/// everything) and runs the evidence verifier on the stored files: signature and every artifact's hash.
/// </summary>
public sealed class EvidenceCheck(EvidenceStore store, EvidenceSigningKey key) : IEvidenceCheck
{
    public async Task<PackCheck?> LatestAsync(WardenDbContext db, Agent agent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(agent);
        var id = agent.Id.Value;
        var owner = agent.OwnerId.Value;
        var segment = agent.Segment;
        var pack = await db.EvidencePacks.AsNoTracking()
            .Where(p => p.Status == EvidencePackStatus.Completed
                && (p.Scope == EvidenceScope.Everything
                    || (p.Scope == EvidenceScope.Agent && p.ScopeTarget == id)
                    || (p.Scope == EvidenceScope.Owner && p.ScopeTarget == owner)
                    || (p.Scope == EvidenceScope.Segment && p.ScopeTarget == segment)))
            .OrderByDescending(p => p.PeriodEnd).ThenByDescending(p => p.CompletedAt)
            .Select(p => new { p.Id, p.PeriodEnd })
            .FirstOrDefaultAsync(ct);
        if (pack is null)
            return null;
        var folder = await store.CopyToTemporaryFolderAsync(pack.Id, ct);
        try
        {
            var report = EvidencePackVerifier.Verify(folder, key.PublicKeyPem);
            return new PackCheck(pack.Id, pack.PeriodEnd, report.Verified);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
