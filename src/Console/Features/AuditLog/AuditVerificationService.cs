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
/// Walks the whole chain in keyset batches (never the whole log in memory) against its seals, the
/// heads in the external sink and any heads an auditor holds from earlier evidence packs. It writes
/// nothing: every commit seals its own head, so a verification never vouches for what it read
/// (a forged tail is reported with its first unsealed sequence, never signed).
/// </summary>
public sealed class AuditVerificationService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AuditCheckpointKey key,
    AuditSealSink sink,
    TimeProvider clock)
{
    private const int BatchSize = 2000;

    /// <summary>How often a walk is repeated when only its last events lack their seal (a commit raced its reads).</summary>
    private const int MaxAttempts = 3;

    public Task<Result<AuditVerificationReport>> VerifyAsync(CancellationToken cancellationToken = default) =>
        VerifyAsync([], cancellationToken);

    /// <summary>Verifies the chain, which must also still contain <paramref name="heldHeads"/> (signed heads from earlier evidence packs) as they were.</summary>
    public async Task<Result<AuditVerificationReport>> VerifyAsync(IReadOnlyList<AuditCheckpoint> heldHeads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heldHeads);
        var guard = await access.RequireAsync(AuditAccess.Verifiers);
        if (guard.IsFailure)
            return guard.Error;

        var result = await WalkAsync(heldHeads, cancellationToken);
        var now = clock.GetUtcNow();
        return new AuditVerificationReport(
            result.IsIntact, result.EventsChecked, result.HeadSequence, result.HeadHash, result.CheckpointsChecked,
            result.FirstBadSequence, result.IsIntact ? null : result.Fault.ToString(), result.Reason, now);
    }

    internal async Task<AuditVerification> WalkAsync(IReadOnlyList<AuditCheckpoint> heldHeads, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The seals first, then the head: every commit writes its events and its seal together, so
            // each event up to that head has its seal among those read (a seal beyond it still means
            // events were removed). Events committed while the walk goes on are left to the next
            // verification instead of being reported as unsealed.
            List<AuditCheckpoint> checkpoints;
            long head;
            var rules = AuditSealRules.SealedHead;
            await using (var db = contexts.CreateDbContext())
            {
                checkpoints = await db.AuditCheckpoints.AsNoTracking().ToListAsync(cancellationToken);
                rules = rules.WithExternal(sink.ReadHeads()).WithExternal(heldHeads);
                head = await db.AuditEvents.AsNoTracking().MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
            }
            var result = await AuditChainVerifier.VerifyAsync(StreamAsync(head, cancellationToken), checkpoints, key.Signer, rules, cancellationToken);
            // A commit between the two reads leaves its events without their seal here: read again. A
            // tail that really is unsealed stays so on every attempt.
            if (result.Fault != AuditChainFault.UnsealedTail || attempt == MaxAttempts)
                return result;
        }
    }

    private async IAsyncEnumerable<AuditEvent> StreamAsync(long head, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var after = 0L;
        while (true)
        {
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence > after && e.Sequence <= head)
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
}
