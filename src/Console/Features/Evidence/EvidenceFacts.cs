using Microsoft.EntityFrameworkCore;
using Warden.Domain.Metrics;
using Warden.Features.Metrics;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>The completed packs the governance metrics count: the scope they cover, their completeness and how long they took.</summary>
public sealed class EvidenceFacts : IEvidenceFacts
{
    public async Task<IReadOnlyList<EvidenceFact>> CompletedAsync(WardenDbContext db, DateTimeOffset from, DateTimeOffset end, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await db.EvidencePacks.AsNoTracking()
                .Where(p => p.Status == EvidencePackStatus.Completed && p.CompletedAt >= from && p.CompletedAt < end)
                .Select(p => new { p.Scope, p.ScopeTarget, p.CompletedAt, p.Completeness, p.AssemblyMilliseconds })
                .ToListAsync(ct))
            .Select(p => new EvidenceFact(p.Scope switch
                {
                    EvidenceScope.Agent => ContainmentTarget.Agent,
                    EvidenceScope.Owner => ContainmentTarget.Owner,
                    EvidenceScope.Segment => ContainmentTarget.Segment,
                    _ => null,
                }, p.ScopeTarget, p.CompletedAt!.Value, p.Completeness, TimeSpan.FromMilliseconds(p.AssemblyMilliseconds)))
            .ToList();
    }
}
