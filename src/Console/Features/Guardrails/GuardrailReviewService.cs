using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Domain.Guardrails;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Guardrails;

public sealed record FindingFilter(FindingReview? Review = FindingReview.Unreviewed, string? Family = null, string? AgentId = null, string? Scanner = null);

public sealed record FindingRow(
    long Id, string DecisionId, string AgentId, string AgentName, DateTimeOffset FoundAt, string Stage, string Kind, string Scanner,
    string? PatternId, string Location, double Confidence, string Excerpt, FindingReview Review, string? ReviewedByName, string? ReviewNote);

/// <summary>One scanner (or one pattern of a pack) and how often officers found it wrong.</summary>
public sealed record ScannerTuning(string Scanner, string? PatternId, int Findings, int Reviewed, int FalsePositives)
{
    /// <summary>False positives among reviewed findings; null until something is reviewed.</summary>
    public double? FalsePositiveRate => Reviewed == 0 ? null : (double)FalsePositives / Reviewed;
}

public sealed record GuardrailTuning(IReadOnlyList<ScannerTuning> Scanners, string PackVersions);

/// <summary>
/// Officers review what the scanners found (true or false positive, with a note); auditors read.
/// A person never reviews the findings of an agent they own or back up.
/// </summary>
public sealed class GuardrailReviewService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    RequestScreening screening,
    TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor];
    public static readonly string[] TuningReaders = [Roles.SecurityOfficer, Roles.Auditor, Roles.Administrator];
    public const int PageSize = 200;

    public async Task<Result<IReadOnlyList<FindingRow>>> GetFindingsAsync(FindingFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var query = db.GuardrailFindings.AsNoTracking();
        if (filter.Review is { } review)
            query = query.Where(f => f.Review == review);
        if (!string.IsNullOrWhiteSpace(filter.Family))
        {
            var prefix = filter.Family.Trim() + ".";
            query = query.Where(f => f.Kind.StartsWith(prefix));
        }
        if (!string.IsNullOrWhiteSpace(filter.AgentId))
            query = query.Where(f => f.AgentId == filter.AgentId.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Scanner))
            query = query.Where(f => f.Scanner == filter.Scanner.Trim());
        var found = await query.OrderByDescending(f => f.Id).Take(PageSize).ToListAsync(ct);
        var names = await AgentNamesAsync(db, found.Select(f => f.AgentId), ct);
        return found.Select(f => new FindingRow(
            f.Id, f.DecisionId, f.AgentId, names.GetValueOrDefault(f.AgentId, f.AgentId), f.FoundAt, f.Stage, f.Kind, f.Scanner,
            f.PatternId, f.Location, f.Confidence, f.Excerpt, f.Review, f.ReviewedByName, f.ReviewNote)).ToList();
    }

    /// <summary>The findings of one decision, for the approval card and the agent page's readers.</summary>
    public static async Task<IReadOnlyList<FindingRecord>> ForDecisionsAsync(WardenDbContext db, IReadOnlyCollection<string> decisionIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (decisionIds.Count == 0)
            return [];
        return await db.GuardrailFindings.AsNoTracking().Where(f => decisionIds.Contains(f.DecisionId)).OrderBy(f => f.Id).ToListAsync(ct);
    }

    public async Task<Result<FindingRow>> ReviewAsync(long findingId, FindingReview verdict, string? note, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        if (verdict == FindingReview.Unreviewed)
            return GuardrailErrors.VerdictRequired;
        note = note?.Trim();
        if (verdict == FindingReview.FalsePositive && string.IsNullOrEmpty(note))
            return GuardrailErrors.NoteRequired;
        if (note?.Length > 1000)
            return GuardrailErrors.NoteTooLong;
        var actor = access.Value;

        await using var db = contexts.CreateDbContext();
        var finding = await db.GuardrailFindings.SingleOrDefaultAsync(f => f.Id == findingId, ct);
        if (finding is null)
            return GuardrailErrors.NotFound;
        if (finding.Review != FindingReview.Unreviewed)
            return GuardrailErrors.AlreadyReviewed(finding.ReviewedByName ?? "another officer");
        if (AgentId.TryParse(finding.AgentId, out var agentId)
            && await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => new { a.OwnerId, a.BackupOwnerId, a.Name }).SingleOrDefaultAsync(ct) is { } agent
            && (agent.OwnerId == actor.Id || agent.BackupOwnerId == actor.Id))
            return GuardrailErrors.OwnAgent;

        finding.Review = verdict;
        finding.ReviewedBy = actor.Id.Value;
        finding.ReviewedByName = actor.Name;
        finding.ReviewedAt = clock.GetUtcNow();
        finding.ReviewNote = string.IsNullOrEmpty(note) ? null : note;
        db.Entry(finding).Property<int>("Version").CurrentValue++;
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), "guardrail.finding_reviewed", finding.AgentId, new
            {
                finding = finding.Id,
                decision = finding.DecisionId,
                finding.Kind,
                finding.Scanner,
                pattern = finding.PatternId,
                verdict = verdict == FindingReview.FalsePositive ? "false_positive" : "true_positive",
                note = finding.ReviewNote,
            })], ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var again = contexts.CreateDbContext();
            var winner = await again.GuardrailFindings.AsNoTracking().SingleAsync(f => f.Id == findingId, ct);
            return GuardrailErrors.AlreadyReviewed(winner.ReviewedByName ?? "another officer");
        }
        var names = await AgentNamesAsync(db, [finding.AgentId], ct);
        return new FindingRow(finding.Id, finding.DecisionId, finding.AgentId, names.GetValueOrDefault(finding.AgentId, finding.AgentId), finding.FoundAt,
                              finding.Stage, finding.Kind, finding.Scanner, finding.PatternId, finding.Location, finding.Confidence, finding.Excerpt,
                              finding.Review, finding.ReviewedByName, finding.ReviewNote);
    }

    /// <summary>Per scanner and pattern: how many findings, how many reviewed, how many of those were false positives.</summary>
    public async Task<Result<GuardrailTuning>> GetTuningAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(TuningReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var rows = await db.GuardrailFindings.AsNoTracking()
            .GroupBy(f => new { f.Scanner, f.PatternId })
            .Select(g => new
            {
                g.Key.Scanner,
                g.Key.PatternId,
                Findings = g.Count(),
                Reviewed = g.Count(f => f.Review != FindingReview.Unreviewed),
                FalsePositives = g.Count(f => f.Review == FindingReview.FalsePositive),
            })
            .ToListAsync(ct);
        var tuning = rows
            .Select(r => new ScannerTuning(r.Scanner, r.PatternId, r.Findings, r.Reviewed, r.FalsePositives))
            .OrderByDescending(t => t.FalsePositiveRate ?? -1).ThenByDescending(t => t.Findings).ThenBy(t => t.Scanner, StringComparer.Ordinal)
            .ToList();
        return new GuardrailTuning(tuning, screening.Scanner.PackVersions);
    }

    private static async Task<Dictionary<string, string>> AgentNamesAsync(WardenDbContext db, IEnumerable<string> agentIds, CancellationToken ct)
    {
        var ids = agentIds.Distinct(StringComparer.Ordinal)
            .Select(id => AgentId.TryParse(id, out var parsed) ? parsed : (AgentId?)null)
            .Where(id => id is not null).Select(id => id!.Value).ToList();
        if (ids.Count == 0)
            return [];
        return await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id.Value, a => a.Name, StringComparer.Ordinal, ct);
    }
}

public static class GuardrailErrors
{
    public static readonly Error NotFound = new("guardrail.finding_not_found", "There is no such finding.");
    public static readonly Error VerdictRequired = new("guardrail.verdict_required", "Mark the finding as a true or a false positive.");
    public static readonly Error NoteRequired = new("guardrail.note_required", "Say why this finding is a false positive; the note is what tuning the scanner starts from.");
    public static readonly Error NoteTooLong = new("guardrail.note_too_long", "The note has at most 1,000 characters.");
    public static readonly Error OwnAgent = new("guardrail.own_agent", "You own or back up this agent, so another officer reviews its findings.");

    public static Error AlreadyReviewed(string by) => new("guardrail.already_reviewed", $"This finding was already reviewed by {by}.");
}
