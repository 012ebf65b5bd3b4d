using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>Removes packs whose definition's retention has run out: their files, their row, and an audit event saying so.</summary>
public sealed class EvidenceRetentionJob(
    IDbContextFactory<WardenDbContext> contexts,
    EvidenceStore store,
    AuditWriter audit,
    TimeProvider clock)
{
    public const string RecurringJobId = "evidence-retention";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var expired = await db.EvidencePacks.Where(p => p.ExpiresAt != null && p.ExpiresAt < now && p.Status != EvidencePackStatus.Running)
            .OrderBy(p => p.ExpiresAt).Take(100).ToListAsync(cancellationToken);
        foreach (var pack in expired)
        {
            // The stored files go with the row (cascade); a folder from before packs were stored in the database goes too.
            var legacy = store.LegacyFolder(pack.Id);
            if (Directory.Exists(legacy))
                Directory.Delete(legacy, recursive: true);
            db.EvidencePacks.Remove(pack);
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.System, "evidence.expired", pack.Id, new
            {
                title = pack.Title, pdfSha256 = pack.PdfSha256, expiresAt = pack.ExpiresAt,
            })], cancellationToken);
        }
    }
}
