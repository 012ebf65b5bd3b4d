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
/// millions costs the same: each filter runs on an index that ends in the sequence.
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
        var filtered = Filter(db.AuditEvents.AsNoTracking(), query, subjects);
        List<AuditEvent> page;
        bool hasOlder, hasNewer;
        if (query.After is { } after && query.Before is null)
        {
            page = await filtered.Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(PageSize + 1).ToListAsync(cancellationToken);
            hasNewer = page.Count > PageSize;
            page = page.Take(PageSize).Reverse().ToList();
            var oldest = page.Count > 0 ? page[^1].Sequence : 0;
            hasOlder = page.Count > 0 && await filtered.AnyAsync(e => e.Sequence < oldest, cancellationToken);
        }
        else
        {
            var before = query.Before ?? long.MaxValue;
            page = await filtered.Where(e => e.Sequence < before).OrderByDescending(e => e.Sequence).Take(PageSize + 1).ToListAsync(cancellationToken);
            hasOlder = page.Count > PageSize;
            page = page.Take(PageSize).ToList();
            var newest = page.Count > 0 ? page[0].Sequence : long.MaxValue;
            hasNewer = page.Count > 0 && await filtered.AnyAsync(e => e.Sequence > newest, cancellationToken);
        }
        return new AuditPage(page.Select(ToRow).ToList(), hasOlder, hasNewer);
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

    private static IQueryable<AuditEvent> Filter(IQueryable<AuditEvent> events, AuditQuery query, List<string>? subjects)
    {
        if (subjects is [var only])
            events = events.Where(e => e.Subject == only);
        else if (subjects is not null)
            events = events.Where(e => subjects.Contains(e.Subject));
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            events = events.Where(e => e.ActorId == actor || e.ActorName == actor);
        }
        if (!string.IsNullOrWhiteSpace(query.KindPrefix))
        {
            // A range rather than LIKE, so the (Kind, Sequence) index serves it on every provider.
            var low = query.KindPrefix.Trim();
            var high = low + char.MaxValue;
#pragma warning disable CA1309 // EF translates string.Compare to the column's own (binary) comparison; CompareOrdinal has no translation.
            events = events.Where(e => string.Compare(e.Kind, low) >= 0 && string.Compare(e.Kind, high) < 0);
#pragma warning restore CA1309
        }
        if (query.From is { } from)
            events = events.Where(e => e.At >= from);
        if (query.To is { } to)
            events = events.Where(e => e.At < to);
        return events;
    }

    private static AuditEventRow ToRow(AuditEvent e) =>
        new(e.Sequence, e.At, e.ActorKind, e.ActorId, e.ActorName, e.Kind, e.Subject, e.Data, e.Hash);
}
