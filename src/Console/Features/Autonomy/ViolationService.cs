using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Guardrails;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Autonomy;

public sealed record ViolationFilter(FindingReview? Review = FindingReview.Unreviewed, ViolationSeverity? Severity = null, string? AgentId = null);

public sealed record ViolationRow(
    string DecisionId, string AgentId, string AgentName, DateTimeOffset DecidedAt, string Tool, string Operation, string Resource,
    string Code, string Message, ViolationSeverity? Severity, FindingReview Review, string? ReviewedByName, string? ReviewNote);

/// <summary>Violations as listed, with the false-positive rate over every reviewed violation.</summary>
public sealed record ViolationList(IReadOnlyList<ViolationRow> Rows, int Reviewed, int FalsePositives)
{
    public double? FalsePositiveRate => Reviewed == 0 ? null : (double)FalsePositives / Reviewed;
}

/// <summary>
/// Every refusal for a control is a violation with a severity. Officers mark each a true or false
/// positive with a note; auditors read. The marks feed the false-positive rate that promotion reads.
/// </summary>
public sealed class ViolationService(AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, IAnomalyExplanations anomalies, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor];
    public const int PageSize = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<ViolationList>> GetViolationsAsync(ViolationFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var query = db.Decisions.AsNoTracking().Where(d => d.IsViolation);
        if (filter.Severity is { } severity)
            query = query.Where(d => d.ViolationSeverity == severity);
        if (!string.IsNullOrWhiteSpace(filter.AgentId))
            query = query.Where(d => d.AgentId == filter.AgentId.Trim());
        query = filter.Review switch
        {
            FindingReview.Unreviewed => query.Where(d => !db.ViolationReviews.Any(r => r.DecisionId == d.Id)),
            FindingReview.TruePositive => query.Where(d => db.ViolationReviews.Any(r => r.DecisionId == d.Id && !r.FalsePositive)),
            FindingReview.FalsePositive => query.Where(d => db.ViolationReviews.Any(r => r.DecisionId == d.Id && r.FalsePositive)),
            _ => query,
        };
        var decisions = await query.OrderByDescending(d => d.DecidedAt).Take(PageSize).ToListAsync(ct);
        var rows = await RowsAsync(db, decisions, ct);
        var reviewed = await db.ViolationReviews.CountAsync(ct);
        var falsePositives = await db.ViolationReviews.CountAsync(r => r.FalsePositive, ct);
        return new ViolationList(rows, reviewed, falsePositives);
    }

    public async Task<Result<ViolationRow>> ReviewAsync(string decisionId, FindingReview verdict, string? note, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        if (verdict == FindingReview.Unreviewed)
            return GuardrailErrors.VerdictRequired;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId && d.IsViolation, ct);
        if (decision is null || !AgentId.TryParse(decision.AgentId, out var agentId))
            return ViolationErrors.NotFound;
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId, ct);
        if (agent is null)
            return ViolationErrors.NotFound;
        if (await db.ViolationReviews.AsNoTracking().SingleOrDefaultAsync(r => r.DecisionId == decisionId, ct) is { } earlier)
            return ViolationErrors.AlreadyReviewed(earlier.ReviewedByName);
        var review = ViolationReview.Record(decisionId, agent, verdict == FindingReview.FalsePositive, actor.Id, actor.Name, note, clock.GetUtcNow());
        if (review.IsFailure)
            return review.Error;
        db.ViolationReviews.Add(review.Value);
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), "violation.reviewed", decision.AgentId, new
            {
                decision = decision.Id,
                severity = decision.ViolationSeverity?.ToString().ToLowerInvariant(),
                verdict = review.Value.FalsePositive ? "false_positive" : "true_positive",
                note = review.Value.Note,
            })], ct);
        }
        catch (DbUpdateException)
        {
            await using var again = contexts.CreateDbContext();
            var winner = await again.ViolationReviews.AsNoTracking().SingleOrDefaultAsync(r => r.DecisionId == decisionId, ct);
            return ViolationErrors.AlreadyReviewed(winner?.ReviewedByName ?? "another officer");
        }
        return (await RowsAsync(db, [decision], ct))[0];
    }

    private async Task<IReadOnlyList<ViolationRow>> RowsAsync(WardenDbContext db, List<DecisionRecord> decisions, CancellationToken ct)
    {
        if (decisions.Count == 0)
            return [];
        var ids = decisions.Select(d => d.Id).ToList();
        var reviews = await db.ViolationReviews.AsNoTracking().Where(r => ids.Contains(r.DecisionId)).ToDictionaryAsync(r => r.DecisionId, StringComparer.Ordinal, ct);
        // A decision can be a violation because it left the agent's baseline: its kind is anomaly, explained by the alert.
        var explanations = await anomalies.ForDecisionsAsync(db, ids, ct);
        var agentIds = decisions.Select(d => d.AgentId).Distinct(StringComparer.Ordinal)
            .Select(i => AgentId.TryParse(i, out var id) ? id : (AgentId?)null).OfType<AgentId>().ToList();
        var names = await db.Agents.AsNoTracking().Where(a => agentIds.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        var byId = names.ToDictionary(n => n.Id.Value, n => n.Name, StringComparer.Ordinal);
        return decisions.Select(d =>
        {
            // An outcome beyond its declaration, or a rejection on review, made an allowed decision a violation: its reason is the one that tells why.
            var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(d.Reasons, Json) ?? [];
            var reason = reasons.LastOrDefault(r => r.Code is DecisionCodes.ImpactOverReported or DecisionCodes.ImpactOverCap or DecisionCodes.PreviewMismatch
                                                    or DecisionCodes.ReviewRejected)
                         ?? reasons.FirstOrDefault();
            reviews.TryGetValue(d.Id, out var review);
            var verdict = review is null ? FindingReview.Unreviewed : review.FalsePositive ? FindingReview.FalsePositive : FindingReview.TruePositive;
            var (code, message) = explanations.TryGetValue(d.Id, out var explanation)
                ? (DecisionCodes.Anomaly, $"{explanation} (answered: {reason?.Code ?? "?"})")
                : (reason?.Code ?? "?", reason?.Message ?? string.Empty);
            return new ViolationRow(d.Id, d.AgentId, byId.GetValueOrDefault(d.AgentId, d.AgentId), d.DecidedAt, d.Tool, d.Operation, d.Resource,
                code, message, d.ViolationSeverity, verdict, review?.ReviewedByName, review?.Note);
        }).ToList();
    }
}
