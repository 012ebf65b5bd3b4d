using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>
/// Builds packs in the background. A pack is claimed by moving it from queued to running in one
/// update, so two workers never build the same pack; files are written to a private folder and stored
/// in the database before the pack is marked complete, so any instance serves it. A scheduled run for a period that already has a pack builds nothing.
/// </summary>
public sealed partial class EvidencePackJob(
    IDbContextFactory<WardenDbContext> contexts,
    EvidencePackBuilder builder,
    EvidenceStore store,
    EvidenceProgress progress,
    AuditWriter audit,
    TimeProvider clock,
    ILogger<EvidencePackJob> logger)
{
    public async Task RunDefinitionAsync(string definitionId, CancellationToken cancellationToken)
    {
        string packId;
        await using (var db = contexts.CreateDbContext())
        {
            var definition = await db.EvidenceDefinitions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == definitionId, cancellationToken);
            if (definition is null)
                return;
            var now = clock.GetUtcNow();
            var (start, end) = definition.Period == EvidencePeriodKind.Custom && definition.CustomStart is { } s && definition.CustomEnd is { } e
                ? (s, e)
                : EvidencePeriods.LastCompleted(definition.Period, EvidenceDefinitionRules.TryZone(definition.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc, now);
            var spec = EvidencePeriods.Spec(definition.Id, definition.Name, definition.Scope, definition.ScopeTarget, start, end, definition.Recipients, now, definition.Framework);
            packId = spec.PackId;
            if (!await db.EvidencePacks.AnyAsync(p => p.Key == spec.Key, cancellationToken))
            {
                db.EvidencePacks.Add(EvidencePack.Request(spec, "schedule", now, definition.RetentionDays));
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another run queued this period a moment ago; building it is that run's work.
                    return;
                }
            }
        }
        await RunAsync(packId, cancellationToken);
    }

    public async Task RunAsync(string packId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var now = clock.GetUtcNow();
        var claimed = await db.EvidencePacks.Where(p => p.Id == packId && p.Status == EvidencePackStatus.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, EvidencePackStatus.Running)
                .SetProperty(p => p.StartedAt, now)
                .SetProperty(p => p.Attempts, p => p.Attempts + 1), cancellationToken);
        if (claimed == 0)
            return;
        var pack = await db.EvidencePacks.SingleAsync(p => p.Id == packId, cancellationToken);
        var partial = store.BuildFolder(packId);
        AuditEntry entry;
        try
        {
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
            var result = await builder.BuildAsync(pack.Spec, partial, progress.For(packId), cancellationToken);
            await store.SaveAsync(packId, partial, cancellationToken);
            Directory.Delete(partial, recursive: true);
            pack.Complete(result, clock.GetUtcNow());
            entry = AuditEntry.Of(AuditActor.System, "evidence.generated", packId, new
            {
                title = pack.Title, pdfSha256 = result.PdfSha256, events = result.EventCount, completeness = result.Completeness.Score, milliseconds = result.Milliseconds,
            });
        }
        catch (OperationCanceledException)
        {
            // Stopping the server must not leave the pack "running" for ever: it fails and can be retried.
            pack.Fail("The build was interrupted before it finished (the server stopped); retry it.", clock.GetUtcNow());
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.System, "evidence.failed", packId, new { title = pack.Title, error = pack.Error })], CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            EvidenceJobMessages.Failed(logger, ex, packId);
            pack.Fail(ex.Message, clock.GetUtcNow());
            entry = AuditEntry.Of(AuditActor.System, "evidence.failed", packId, new { title = pack.Title, error = pack.Error });
        }
        finally
        {
            progress.Clear(packId);
        }
        await audit.AppendAsync(db, [entry], CancellationToken.None);
    }
}

internal static partial class EvidenceJobMessages
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Evidence pack {PackId} could not be built.")]
    public static partial void Failed(ILogger logger, Exception exception, string packId);
}
