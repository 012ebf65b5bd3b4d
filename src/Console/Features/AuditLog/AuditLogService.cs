using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.AuditLog;

/// <summary>Filters of the log; <see cref="Before"/> pages to older events, <see cref="After"/> to newer ones.</summary>
public sealed record AuditQuery(
    string? Subject = null,
    string? Actor = null,
    string? KindPrefix = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? Before = null,
    long? After = null);

public sealed record AuditEventRow(
    long Sequence,
    DateTimeOffset At,
    AuditActorKind ActorKind,
    string? ActorId,
    string ActorName,
    string Kind,
    string Subject,
    string Data,
    string Hash);

/// <summary>Newest first. HasOlder/HasNewer say whether the "older"/"newer" buttons lead anywhere.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEventRow> Events, bool HasOlder, bool HasNewer);

/// <summary>
/// Reads the log a page at a time by sequence (keyset, never offset), so every page of a log of
/// millions costs the same: each filter runs on an index that ends in the sequence, a filter that
/// spans several index ranges (two actor columns, several subjects or kinds) as one read per range.
/// </summary>
public sealed class AuditLogService(AccessGuard access, IDbContextFactory<WardenDbContext> contexts)
{
    public const int PageSize = 50;

    public async Task<Result<AuditPage>> GetPageAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var guard = await access.RequireAsync(AuditAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;

        await using var db = contexts.CreateDbContext();
        var subjects = await SubjectsAsync(db, query.Subject, cancellationToken);
        var branches = await BranchesAsync(db, query, subjects, cancellationToken);
        List<AuditEvent> page;
        bool hasOlder, hasNewer;
        if (query.After is { } after && query.Before is null)
        {
            page = await ReadAsync(branches, after, newer: true, PageSize + 1, cancellationToken);
            hasNewer = page.Count > PageSize;
            page = page.Take(PageSize).Reverse().ToList();
            var oldest = page.Count > 0 ? page[^1].Sequence : 0;
            hasOlder = page.Count > 0 && (await ReadAsync(branches, oldest, newer: false, 1, cancellationToken)).Count > 0;
        }
        else
        {
            var before = query.Before ?? long.MaxValue;
            page = await ReadAsync(branches, before, newer: false, PageSize + 1, cancellationToken);
            hasOlder = page.Count > PageSize;
            page = page.Take(PageSize).ToList();
            var newest = page.Count > 0 ? page[0].Sequence : long.MaxValue;
            hasNewer = page.Count > 0 && (await ReadAsync(branches, newest, newer: true, 1, cancellationToken)).Count > 0;
        }
        return new AuditPage(page.Select(ToRow).ToList(), hasOlder, hasNewer);
    }

    /// <summary>
    /// The first <paramref name="take"/> events past <paramref name="bound"/> (older, newest first; or
    /// newer, oldest first). Each branch is read on its own index in sequence order and the branches
    /// merged, so a filter that matches half a million events still reads a page per branch instead of
    /// sorting them all (an <c>OR</c> of two columns, or a range of kinds, cannot be read in sequence
    /// order from one index).
    /// </summary>
    private static async Task<List<AuditEvent>> ReadAsync(
        IReadOnlyList<Branch> branches, long bound, bool newer, int take, CancellationToken cancellationToken)
    {
        var read = new List<AuditEvent>();
        foreach (var branch in branches)
        {
            // The page's bound and the branch's own range are one range, so the index walks only that
            // (SQLite seeks on one lower and one upper limit of a column, not the tightest of several).
            if (newer ? bound >= branch.Last : bound <= branch.First)
                continue;
            var (first, last) = newer ? (Math.Max(branch.First, bound + 1), branch.Last) : (branch.First, Math.Min(branch.Last, bound - 1));
            var range = branch.Events.Where(e => e.Sequence >= first && e.Sequence <= last);
            var ordered = newer ? range.OrderBy(e => e.Sequence) : range.OrderByDescending(e => e.Sequence);
            read.AddRange(await ordered.Take(take).ToListAsync(cancellationToken));
        }
        if (branches.Count == 1)
            return read;
        var merged = read.DistinctBy(e => e.Sequence);
        return [.. (newer ? merged.OrderBy(e => e.Sequence) : merged.OrderByDescending(e => e.Sequence)).Take(take)];
    }

    /// <summary>
    /// The filter as branches whose union is the filter: one per subject id when the subject filter
    /// names several, else one per actor column (id, name) when there is an actor filter, else one per
    /// kind in the kind-prefix range; every other filter applies inside each branch.
    /// </summary>
    private static async Task<IReadOnlyList<Branch>> BranchesAsync(
        WardenDbContext db, AuditQuery query, List<string>? subjects, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (query.From is null && query.To is null)
            return [.. (await FilterBranchesAsync(db, events, query, subjects, cancellationToken)).Select(b => new Branch(b, 0, long.MaxValue))];
        var branches = new List<Branch>();
        foreach (var slice in await PeriodSlicesAsync(db, query, cancellationToken))
        {
            var sliced = slice.Filter is { } filter ? filter(events) : events;
            foreach (var branch in await FilterBranchesAsync(db, sliced, query, subjects, cancellationToken))
                branches.Add(new Branch(branch, slice.First, slice.Last));
        }
        return branches;
    }

    /// <summary>A branch of the filter: its events lie between sequences <paramref name="First"/> and <paramref name="Last"/>.</summary>
    private sealed record Branch(IQueryable<AuditEvent> Events, long First, long Last);

    /// <summary>A part of a period: the sequences it lies between, and the filter on the time it needs, if any.</summary>
    private sealed record PeriodSlice(long First, long Last, Func<IQueryable<AuditEvent>, IQueryable<AuditEvent>>? Filter);

    /// <summary>The filters other than the period, as branches of <paramref name="events"/>.</summary>
    private static async Task<IReadOnlyList<IQueryable<AuditEvent>>> FilterBranchesAsync(
        WardenDbContext db, IQueryable<AuditEvent> events, AuditQuery query, List<string>? subjects, CancellationToken cancellationToken)
    {
        var actor = string.IsNullOrWhiteSpace(query.Actor) ? null : query.Actor.Trim();
        var prefix = string.IsNullOrWhiteSpace(query.KindPrefix) ? null : query.KindPrefix.Trim();
        if (subjects is not null)
        {
            var rest = WithKinds(actor is null ? events : events.Where(e => e.ActorId == actor || e.ActorName == actor), prefix);
            return subjects.Distinct(StringComparer.Ordinal).Select(subject => rest.Where(e => e.Subject == subject)).ToList();
        }
        if (actor is not null)
        {
            var rest = WithKinds(events, prefix);
            return [rest.Where(e => e.ActorId == actor), rest.Where(e => e.ActorName == actor)];
        }
        if (prefix is not null)
        {
            var kinds = await KindsAsync(db, prefix, cancellationToken);
            return kinds.Count == 0 ? [WithKinds(events, prefix)] : kinds.Select(kind => events.Where(e => e.Kind == kind)).ToList();
        }
        return [events];
    }

    /// <summary>
    /// The query's period as disjoint slices of the log, none when it holds no event. Where the log's
    /// times are in sequence order (from the mark of <see cref="AuditTimeOrder"/> on), the period is
    /// one range of sequences, found by two seeks of the time index, whatever its width. Before the
    /// mark, or while the log has not been scanned, the period is a filter on the time, bounded by
    /// sequences when it is narrow enough to read them (<see cref="PeriodSequencesAsync"/>).
    /// </summary>
    private static async Task<List<PeriodSlice>> PeriodSlicesAsync(WardenDbContext db, AuditQuery query, CancellationToken cancellationToken)
    {
        var slices = new List<PeriodSlice>();
        var mark = await AuditTimeOrder.OrderedFromAsync(db, cancellationToken);
        if (mark is not null)
        {
            if (await OrderedRangeAsync(db, query, mark.Value, cancellationToken) is { } range)
                slices.Add(new PeriodSlice(range.First, range.Last, Filter: null));
            if (mark <= 1)
                return slices;
        }

        // Before the mark: a filter on the time, which every branch applies.
        var period = mark is { } end && end - 1 <= MaxPeriodScan
            ? await UnorderedPeriodSequencesAsync(db, query, end, cancellationToken)
            : await PeriodSequencesAsync(mark is { } before ? db.AuditEvents.AsNoTracking().Where(e => e.Sequence < before) : db.AuditEvents.AsNoTracking(), query, cancellationToken);
        if (period.IsEmpty)
            return slices;
        var first = period.Bounds?.First ?? 0;
        var last = Math.Min(period.Bounds?.Last ?? long.MaxValue, (mark ?? long.MaxValue) - 1);
        slices.Add(new PeriodSlice(first, last, events => InPeriod(events, query)));
        return slices;
    }

    /// <summary>
    /// The first and last sequence of the period among the few events before the mark, read in
    /// sequence order: the time index would walk past every event of the period after the mark.
    /// </summary>
    private static async Task<PeriodSequences> UnorderedPeriodSequencesAsync(WardenDbContext db, AuditQuery query, long mark, CancellationToken cancellationToken)
    {
        var times = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence < mark).OrderBy(e => e.Sequence)
            .Select(e => new { e.Sequence, e.At }).ToListAsync(cancellationToken);
        var inPeriod = times.Where(e => (query.From is not { } from || e.At >= from) && (query.To is not { } to || e.At < to)).ToList();
        return inPeriod.Count == 0
            ? new PeriodSequences(IsEmpty: true, Bounds: null)
            : new PeriodSequences(IsEmpty: false, new SequenceRange(inPeriod[0].Sequence, inPeriod[^1].Sequence));
    }

    /// <summary>
    /// The first and last sequence of the period among the events from <paramref name="orderedFrom"/>
    /// on, whose times are in sequence order: the first event at or after the start and the last one
    /// before the end on the time index. Null when none is in the period.
    /// </summary>
    private static async Task<SequenceRange?> OrderedRangeAsync(WardenDbContext db, AuditQuery query, long orderedFrom, CancellationToken cancellationToken)
    {
        var tail = db.AuditEvents.AsNoTracking();
        if (orderedFrom > 1)
            tail = tail.Where(e => e.Sequence >= orderedFrom);
        var first = Math.Max(orderedFrom, 1);
        var last = long.MaxValue;
        if (query.From is { } from)
        {
            var found = await tail.Where(e => e.At >= from).OrderBy(e => e.At).ThenBy(e => e.Sequence)
                .Select(e => (long?)e.Sequence).FirstOrDefaultAsync(cancellationToken);
            if (found is null)
                return null;
            first = found.Value;
        }
        if (query.To is { } to)
        {
            var found = await tail.Where(e => e.At < to).OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence)
                .Select(e => (long?)e.Sequence).FirstOrDefaultAsync(cancellationToken);
            if (found is null)
                return null;
            last = found.Value;
        }
        return first <= last ? new SequenceRange(first, last) : null;
    }

    /// <summary>The kinds in the log that start with <paramref name="prefix"/>, one index seek each (the log has a few dozen kinds).</summary>
    private static async Task<List<string>> KindsAsync(WardenDbContext db, string prefix, CancellationToken cancellationToken)
    {
        var kinds = new List<string>();
        var high = prefix + char.MaxValue;
        var after = prefix;
        var inclusive = true;
        while (kinds.Count <= MaxKindBranches)
        {
            var from = after;
            var log = db.AuditEvents.AsNoTracking();
#pragma warning disable CA1309 // EF translates string.Compare to the column's own (binary) comparison; CompareOrdinal has no translation.
            log = inclusive ? log.Where(e => string.Compare(e.Kind, from) >= 0) : log.Where(e => string.Compare(e.Kind, from) > 0);
            var next = await log.Where(e => string.Compare(e.Kind, high) < 0)
#pragma warning restore CA1309
                .OrderBy(e => e.Kind).Select(e => e.Kind).FirstOrDefaultAsync(cancellationToken);
            if (next is null)
                return kinds;
            kinds.Add(next);
            (after, inclusive) = (next, false);
        }
        return []; // Too many kinds to read one by one: the range is read as one branch.
    }

    private const int MaxKindBranches = 64;

    /// <summary>
    /// The first and last sequence of the events in the query's period, so that every branch seeks its
    /// own index to the period instead of walking the log from the newest event back or sorting the
    /// period. Reading them exactly is a pass over the period's entries of the time index, worth it
    /// for a narrow period only: when the sequences at the period's two ends on the time index (two
    /// seeks) are more than <see cref="MaxPeriodScan"/> apart, the period has no bounds.
    /// </summary>
    private static async Task<PeriodSequences> PeriodSequencesAsync(IQueryable<AuditEvent> events, AuditQuery query, CancellationToken cancellationToken)
    {
        var period = InPeriod(events, query);
        var earliest = await period.OrderBy(e => e.At).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (earliest is null)
            return new PeriodSequences(IsEmpty: true, Bounds: null);
        var latest = await period.OrderByDescending(e => e.At).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(cancellationToken) ?? earliest.Value;
        if (Math.Abs(latest - earliest.Value) > MaxPeriodScan)
            return new PeriodSequences(IsEmpty: false, Bounds: null);
        var bounds = await PeriodBounds(events, query).SingleOrDefaultAsync(cancellationToken);
        return new PeriodSequences(IsEmpty: bounds is null, bounds);
    }

    private const int MaxPeriodScan = 50_000;

    /// <summary>Whether a period holds any event, and its first and last sequence when they were worth reading.</summary>
    private readonly record struct PeriodSequences(bool IsEmpty, SequenceRange? Bounds);

    /// <summary>The first and last sequence of the events in the query's period (one row, or none when the period is empty).</summary>
    internal static IQueryable<SequenceRange> PeriodBounds(IQueryable<AuditEvent> events, AuditQuery query) =>
        InPeriod(events, query).GroupBy(_ => 1).Select(g => new SequenceRange(g.Min(e => e.Sequence), g.Max(e => e.Sequence)));

    internal sealed record SequenceRange(long First, long Last);

    private static IQueryable<AuditEvent> InPeriod(IQueryable<AuditEvent> events, AuditQuery query)
    {
        if (query.From is { } from)
            events = events.Where(e => e.At >= from);
        if (query.To is { } to)
            events = events.Where(e => e.At < to);
        return events;
    }

    private static IQueryable<AuditEvent> WithKinds(IQueryable<AuditEvent> events, string? prefix)
    {
        if (prefix is null)
            return events;
        // A range rather than LIKE, so the (Kind, Sequence) index serves it on every provider.
        var high = prefix + char.MaxValue;
#pragma warning disable CA1309 // EF translates string.Compare to the column's own (binary) comparison; CompareOrdinal has no translation.
        return events.Where(e => string.Compare(e.Kind, prefix) >= 0 && string.Compare(e.Kind, high) < 0);
#pragma warning restore CA1309
    }

    /// <summary>
    /// What the subject filter stands for: the text itself (an id), and the ids it names: agents of
    /// that name, people with that e-mail or display name. Null when there is no subject filter.
    /// </summary>
    private static async Task<List<string>?> SubjectsAsync(WardenDbContext db, string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var subject = text.Trim();
        var normalized = Domain.Agents.Agent.NormalizeName(subject);
        var agents = await db.Agents.AsNoTracking().Where(a => a.NormalizedName == normalized).Select(a => a.Id).ToListAsync(cancellationToken);
        var email = subject.ToUpperInvariant();
        var people = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == email || u.DisplayName == subject).Select(u => u.Id).ToListAsync(cancellationToken);
        return [subject, .. agents.Select(a => a.Value), .. people];
    }

    private static AuditEventRow ToRow(AuditEvent e) =>
        new(e.Sequence, e.At, e.ActorKind, e.ActorId, e.ActorName, e.Kind, e.Subject, e.Data, e.Hash);
}
