using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Infrastructure.Events;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Autonomy;

/// <summary>
/// Reviews after the fact (autonomy level 1, or a rule with <c>review: after</c>): the actions that ran
/// and await a person's verdict, oldest first. Owners see and review their agents' actions, officers
/// all, auditors read. A rejection makes the action a violation, told to breakers and demotion as an
/// outcome violation is. Every verdict is audited.
/// </summary>
public sealed class ActionReviewService(
    AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, SeverityTable severities, EventPublisher events, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor];
    public static readonly string[] Reviewers = [Roles.SecurityOfficer, Roles.AgentOwner];
    public const int PageSize = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Awaiting review, oldest first; or reviewed, newest verdict first.</summary>
    public async Task<Result<IReadOnlyList<ActionReviewRow>>> GetReviewsAsync(bool awaiting, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var reviews = db.ActionReviews.AsNoTracking();
        if (!AgentAccess.SeesAll(actor))
        {
            var mine = db.Agents.Where(a => a.OwnerId == actor.Id || a.BackupOwnerId == actor.Id).Select(a => a.Id);
            reviews = reviews.Where(r => mine.Contains(r.AgentId));
        }
        var page = awaiting
            ? await reviews.Where(r => r.State == ActionReviewState.Pending).OrderBy(r => r.OpenedAt).Take(PageSize).ToListAsync(ct)
            : await reviews.Where(r => r.State != ActionReviewState.Pending).OrderByDescending(r => r.ReviewedAt).Take(PageSize).ToListAsync(ct);
        return Result.Success(await RowsAsync(db, actor, page, ct));
    }

    public Task<Result<ActionReviewRow>> AcceptAsync(string decisionId, string? note, CancellationToken ct = default) =>
        ReviewAsync(decisionId, reject: false, note, ct);

    public Task<Result<ActionReviewRow>> RejectAsync(string decisionId, string? note, CancellationToken ct = default) =>
        ReviewAsync(decisionId, reject: true, note, ct);

    private async Task<Result<ActionReviewRow>> ReviewAsync(string decisionId, bool reject, string? note, CancellationToken ct)
    {
        var access = await guard.RequireToActAsync(Reviewers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var review = await db.ActionReviews.SingleOrDefaultAsync(r => r.DecisionId == decisionId, ct);
        var agent = review is null ? null : await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == review.AgentId, ct);
        var decision = review is null ? null : await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        // Someone who may not see the agent learns nothing about the action, not even that it exists.
        if (review is null || agent is null || decision is null || !AgentAccess.CanSee(actor, agent))
            return ActionReviewErrors.NotFound;
        var reviewer = new ActionReviewer(actor.Id, actor.Name, actor.IsIn(Roles.SecurityOfficer));
        var involved = await InvolvedAsync(db, decisionId, ct);
        var now = clock.GetUtcNow();
        var verdict = reject ? review.Reject(agent, reviewer, involved, note, now) : review.Accept(agent, reviewer, involved, note, now);
        if (verdict.IsFailure)
            return verdict.Error;
        db.Entry(review).Property<int>("Version").CurrentValue++;
        ViolationSeverity? severity = null;
        if (reject)
        {
            severity = MarkViolation(decision, actor.Name);
            db.Entry(decision).Property<int>("Version").CurrentValue++;
        }
        var entry = AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), reject ? "action.review_rejected" : "action.review_accepted", decision.AgentId, new
        {
            decision = decision.Id,
            tool = decision.Tool,
            operation = decision.Operation,
            outcome = decision.OutcomeStatus,
            note = review.Note,
            violation = reject ? DecisionCodes.ReviewRejected : null,
            severity = severity?.ToString().ToLowerInvariant(),
        });
        try
        {
            await audit.AppendAsync(db, [entry], ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var again = contexts.CreateDbContext();
            var winner = await again.ActionReviews.AsNoTracking().SingleOrDefaultAsync(r => r.DecisionId == decisionId, ct);
            // Still pending: the decision changed under the verdict (its outcome was reported meanwhile), so nothing was saved.
            return winner is { State: not ActionReviewState.Pending }
                ? ActionReviewErrors.AlreadyReviewed(winner.ReviewedByName ?? "someone else", winner.State)
                : ActionReviewErrors.ChangedMeanwhile;
        }
        // Told before the verdict returns: breakers count the violation and a critical one demotes the agent.
        if (reject)
            await events.PublishAsync(new OutcomeViolated(decision.Id, decision.AgentId, agent.OwnerId.Value, agent.Segment, DecisionCodes.ReviewRejected,
                                                          severity!.Value, now, decision.DecidedAt, 0, 0m), ct);
        return (await RowsAsync(db, actor, [review], ct))[0];
    }

    /// <summary>The decision becomes a violation: its reasons gain the rejection, after the reasons it was answered with.</summary>
    private ViolationSeverity MarkViolation(DecisionRecord decision, string reviewer)
    {
        var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(decision.Reasons, Json) ?? [];
        reasons.Add(new ReasonBody(DecisionCodes.ReviewRejected, $"Rejected on review after it ran, by {reviewer}."));
        decision.Reasons = JsonSerializer.Serialize(reasons, Json);
        var severity = severities.ForCode(DecisionCodes.ReviewRejected);
        decision.IsViolation = true;
        decision.ViolationSeverity = decision.ViolationSeverity is { } earlier && earlier > severity ? earlier : severity;
        return decision.ViolationSeverity.Value;
    }

    /// <summary>The people who approved the action (when it was held first): none of them reviews it.</summary>
    private static async Task<IReadOnlyCollection<UserId>> InvolvedAsync(WardenDbContext db, string decisionId, CancellationToken ct) =>
        await db.ApprovalRequests.AsNoTracking().Where(r => r.DecisionId == decisionId).SelectMany(r => r.Votes).Select(v => v.VoterId).ToListAsync(ct);

    private static async Task<IReadOnlyList<ActionReviewRow>> RowsAsync(WardenDbContext db, Actor actor, List<ActionReview> reviews, CancellationToken ct)
    {
        if (reviews.Count == 0)
            return [];
        var ids = reviews.Select(r => r.DecisionId).ToList();
        var decisions = await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, ct);
        var agentIds = reviews.Select(r => r.AgentId).Distinct().ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => agentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var reviewer = new ActionReviewer(actor.Id, actor.Name, actor.IsIn(Roles.SecurityOfficer));
        var canAct = Reviewers.Any(actor.IsIn);
        var rows = new List<ActionReviewRow>(reviews.Count);
        foreach (var review in reviews)
        {
            if (!decisions.TryGetValue(review.DecisionId, out var d) || !agents.TryGetValue(review.AgentId, out var agent))
                continue;
            var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(d.Reasons, Json) ?? [];
            var why = review.State != ActionReviewState.Pending ? null
                : !canAct ? "You read this queue; owners and officers review."
                : review.Refusal(agent, reviewer, []) is { } refused ? refused.Message : null;
            rows.Add(new ActionReviewRow(d.Id, d.AgentId, agent.Name, d.DecidedAt, d.Tool, d.Operation, d.Resource, d.RiskTier,
                reasons.FirstOrDefault()?.Message ?? string.Empty, d.OutcomeStatus, d.OutcomeRecords, d.OutcomeAmount, d.OutcomeDetail,
                review.State, review.ReviewedByName, review.ReviewedAt, review.Note, why));
        }
        return rows;
    }
}
