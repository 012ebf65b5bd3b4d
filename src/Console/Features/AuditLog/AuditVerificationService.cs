using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.AuditLog;

public sealed record AuditVerificationReport(
    bool Verified,
    long EventsChecked,
    long HeadSequence,
    string HeadHash,
    int CheckpointsChecked,
    long? FirstBadSequence,
    string? Fault,
    string Reason,
    DateTimeOffset CheckedAt);

/// <summary>
/// Walks the whole chain in keyset batches (never the whole log in memory) against the signed
/// checkpoints. A chain that verifies gets a fresh signed checkpoint at its head, so a later rewrite
/// of anything up to here is caught even between the periodic ones.
/// </summary>
public sealed class AuditVerificationService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AuditCheckpointKey key,
    TimeProvider clock)
{
    private const int BatchSize = 2000;

    public async Task<Result<AuditVerificationReport>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireAsync(AuditAccess.Verifiers);
        if (guard.IsFailure)
            return guard.Error;

        var result = await WalkAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (result.IsIntact && result.HeadSequence > 0)
            await SignHeadAsync(result, now, cancellationToken);
        return new AuditVerificationReport(
            result.IsIntact, result.EventsChecked, result.HeadSequence, result.HeadHash, result.CheckpointsChecked,
            result.FirstBadSequence, result.IsIntact ? null : result.Fault.ToString(), result.Reason, now);
    }

    internal async Task<AuditVerification> WalkAsync(CancellationToken cancellationToken)
    {
        List<AuditCheckpoint> checkpoints;
        await using (var db = contexts.CreateDbContext())
            checkpoints = await db.AuditCheckpoints.AsNoTracking().ToListAsync(cancellationToken);
        return await AuditChainVerifier.VerifyAsync(StreamAsync(cancellationToken), checkpoints, key.Signer, cancellationToken);
    }

    private async IAsyncEnumerable<AuditEvent> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var after = 0L;
        while (true)
        {
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var e in batch)
                yield return e;
            if (batch.Count < BatchSize)
                yield break;
            after = batch[^1].Sequence;
        }
    }

    private async Task SignHeadAsync(AuditVerification result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await db.AuditCheckpoints.AnyAsync(c => c.Sequence == result.HeadSequence, cancellationToken))
            return;
        db.AuditCheckpoints.Add(key.Signer.Sign(result.HeadSequence, result.HeadHash, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another verification or the writer signed this sequence a moment ago; one checkpoint is enough.
        }
    }
}
