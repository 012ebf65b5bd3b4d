using System.Text.Json;
using Warden.Domain.Audit;
using Warden.Persistence;

namespace Warden.Features.AuditLog;

/// <summary>What a caller asks to be recorded; the log adds the sequence, time and hashes.</summary>
/// <param name="Data">A JSON document; it is PII-masked before it is hashed and stored.</param>
public sealed record AuditEntry(AuditActor Actor, string Kind, string Subject, string Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Every text in <see cref="Data"/> already went through the masking service (a decision's event
    /// is built from its masked record), so the writer does not scan it a second time.
    /// </summary>
    public bool IsMasked { get; init; }

    public static AuditEntry Of(AuditActor actor, string kind, string subject, object data) =>
        new(actor, kind, subject, JsonSerializer.Serialize(data, Json));
}

/// <summary>
/// One item of a group commit: the audit entry and the caller's own rows (e.g. a decision), which
/// <paramref name="Apply"/> adds to the shared context. Both commit in one transaction or not at all.
/// <paramref name="DecidedUnder"/>, when given, is the state epoch the item was decided under: if a
/// newer one is in force at the commit, the item is refused with
/// <see cref="Warden.Infrastructure.Cluster.StaleStateException"/> and nothing of it is written.
/// <paramref name="More"/> are further events of the same item, chained right after <paramref name="Entry"/>.
/// <paramref name="WithdrawnBy"/>, when it can be cancelled, withdraws the item while it still waits for
/// its turn on the chain: it is then never committed, and its task faults with
/// <see cref="AuditItemWithdrawnException"/>. Once the writer has taken it into a transaction, it is no
/// longer withdrawn (its own <paramref name="Apply"/> decides there).
/// </summary>
public sealed record AuditBatchItem(
    AuditEntry Entry, Action<WardenDbContext>? Apply = null, long? DecidedUnder = null, IReadOnlyList<AuditEntry>? More = null,
    Withdrawal WithdrawnBy = default)
{
    /// <summary>The item's events in chain order, built once at construction (the writer reads it for every commit; a <c>with</c> copy keeps it).</summary>
    public IReadOnlyList<AuditEntry> Entries { get; } = More is { Count: > 0 } more ? [Entry, .. more] : [Entry];
}

/// <summary>What withdraws a queued item when it is cancelled (<see cref="AuditBatchItem.WithdrawnBy"/>); the default never does.</summary>
public readonly record struct Withdrawal(CancellationToken Signal);

/// <summary>
/// More of a caller's rows and events that must commit in the same transaction as something else
/// (e.g. what the gateway records about a forwarded call, with the review of its result).
/// </summary>
public sealed record AuditAddition(Action<WardenDbContext>? Apply, IReadOnlyList<AuditEntry> Entries)
{
    /// <summary>Both additions, <paramref name="first"/>'s rows and events first.</summary>
    public static AuditAddition? Join(AuditAddition? first, AuditAddition? second) =>
        first is null ? second
        : second is null ? first
        : new(db =>
        {
            first.Apply?.Invoke(db);
            second.Apply?.Invoke(db);
        }, [.. first.Entries, .. second.Entries]);
}
