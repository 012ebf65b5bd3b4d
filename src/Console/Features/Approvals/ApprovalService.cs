using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Features.Decisions;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Approvals;

/// <summary>
/// The approval queue as people use it. Officers vote; auditors read everything; owners read their
/// own agents' requests. Every call checks the caller afresh; who may vote on what is decided by the
/// request itself (separation of duties applies to the person, not the role).
/// </summary>
public sealed class ApprovalService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    ApprovalWorkflow workflow,
    PreviewChanges previews,
    IOptions<ApprovalOptions> options,
    TimeProvider clock)
{
    public static readonly string[] QueueReaders = [Roles.SecurityOfficer, Roles.Auditor];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // What the officers' votes and the request's end add to a held decision: not why it was held.
    private static readonly HashSet<string> OutcomeCodes = new(StringComparer.Ordinal)
    {
        DecisionCodes.ApprovalVote, DecisionCodes.Approved, DecisionCodes.ApprovalDenied, DecisionCodes.ApprovalExpired, DecisionCodes.ApprovalCancelled,
    };

    public Task<Result<VoteResult>> VoteAsync(string requestId, Verdict verdict, string? reason, CancellationToken ct = default) =>
        VoteAsync(requestId, verdict, reason, previewDigest: null, ct);

    /// <param name="previewDigest">The digest of the preview the officer was shown (the card's); an approval counts only for the current preview.</param>
    public async Task<Result<VoteResult>> VoteAsync(string requestId, Verdict verdict, string? reason, string? previewDigest, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        if (verdict == Verdict.Approve && await IsCriticalAsync(requestId, ct) && guard.RequireRecentProof(actor) is { IsFailure: true } stale)
            return stale.Error;
        var voter = new Voter(actor.Id, actor.Email, actor.Name, actor.Roles, IsActive: true);
        // A tool that supplies its own preview is asked again: the approval is for the change it would make now.
        if (verdict == Verdict.Approve && await previews.CheckBeforeApprovalAsync(requestId, ct) is { } changed)
            return changed;
        return await workflow.VoteAsync(requestId, voter, verdict, reason, previewDigest, ct);
    }

    // Approving a critical-risk action needs a step-up; the tier is fixed when the request opens.
    private async Task<bool> IsCriticalAsync(string requestId, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        return await db.ApprovalRequests.AsNoTracking().AnyAsync(r => r.Id == requestId && r.RiskTier == RiskTier.Critical, ct);
    }

    /// <summary>Pending requests, soonest deadline first.</summary>
    public async Task<Result<IReadOnlyList<ApprovalCard>>> GetQueueAsync(CancellationToken ct = default)
    {
        var view = await GetQueueViewAsync(ct);
        return view.IsSuccess ? Result.Success(view.Value.Cards) : view.Error;
    }

    /// <summary>The waiting requests (soonest deadline first) and their counts, read at one moment.</summary>
    public async Task<Result<ApprovalQueueView>> GetQueueViewAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(QueueReaders);
        if (access.IsFailure)
            return access.Error;
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var counts = await CountWaitingAsync(db, now, ct);
        var requests = await Waiting(db, now)
            .OrderBy(r => r.ExpiresAt)
            .Take(ApprovalQueueView.MaxCards)
            .ToListAsync(ct);
        return new ApprovalQueueView(await CardsAsync(db, access.Value, requests, ct), counts);
    }

    /// <summary>How many requests wait and how many are escalated: the one count the badge, the queue and the dashboard show.</summary>
    public async Task<Result<ApprovalWaiting>> WaitingAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(QueueReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        return await CountWaitingAsync(db, clock.GetUtcNow(), ct);
    }

    public async Task<Result<int>> PendingCountAsync(CancellationToken ct = default)
    {
        var waiting = await WaitingAsync(ct);
        return waiting.IsSuccess ? waiting.Value.Waiting : waiting.Error;
    }

    // Waiting means pending and not yet past its deadline (the sweep may not have expired it yet).
    private static IQueryable<ApprovalRequest> Waiting(WardenDbContext db, DateTimeOffset now) =>
        db.ApprovalRequests.AsNoTracking().Where(r => r.State == ApprovalState.Pending && r.ExpiresAt > now);

    private static async Task<ApprovalWaiting> CountWaitingAsync(WardenDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var waiting = await Waiting(db, now).CountAsync(ct);
        var escalated = await Waiting(db, now).CountAsync(r => r.EscalatedAt != null, ct);
        return new ApprovalWaiting(waiting, escalated);
    }

    /// <summary>Finished requests (approved, denied, expired, cancelled), newest first.</summary>
    public async Task<Result<IReadOnlyList<ApprovalCard>>> GetHistoryAsync(ApprovalHistoryFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var access = await guard.RequireAsync(QueueReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var query = db.ApprovalRequests.AsNoTracking().Where(r => r.State != ApprovalState.Pending);
        if (filter.State is { } state)
            query = query.Where(r => r.State == state);
        if (!string.IsNullOrWhiteSpace(filter.AgentId))
            query = query.Where(r => r.AgentId == filter.AgentId);
        if (!string.IsNullOrWhiteSpace(filter.OfficerId))
        {
            var officer = new UserId(filter.OfficerId);
            query = query.Where(r => r.Votes.Any(v => v.VoterId == officer));
        }
        if (filter.From is { } from)
            query = query.Where(r => r.OpenedAt >= from);
        if (filter.To is { } to)
            query = query.Where(r => r.OpenedAt < to);
        var requests = await query.OrderByDescending(r => r.OpenedAt).Take(ApprovalHistoryFilter.MaxRows).ToListAsync(ct);
        return Result.Success(await CardsAsync(db, access.Value, requests, ct));
    }

    /// <summary>One request, for deep links from notifications.</summary>
    public async Task<Result<ApprovalCard>> GetAsync(string requestId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(QueueReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var request = await db.ApprovalRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return ApprovalErrors.NotFound;
        return (await CardsAsync(db, access.Value, [request], ct))[0];
    }

    /// <summary>An agent's requests, newest first, for whoever may see the agent (owners included, read-only).</summary>
    public async Task<Result<IReadOnlyList<ApprovalCard>>> GetForAgentAsync(string agentId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(AgentAccess.Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var agent = await AgentAccess.FindVisibleAsync(db, access.Value, agentId, ct);
        if (agent.IsFailure)
            return agent.Error;
        var requests = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.AgentId == agentId)
            .OrderByDescending(r => r.OpenedAt)
            .Take(50)
            .ToListAsync(ct);
        return Result.Success(await CardsAsync(db, access.Value, requests, ct));
    }

    /// <summary>The people who have voted, for the history's officer filter.</summary>
    public async Task<Result<IReadOnlyList<(string Id, string Name)>>> GetVotersAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(QueueReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var voters = await db.ApprovalRequests.AsNoTracking()
            .SelectMany(r => r.Votes)
            .Select(v => new { v.VoterId, v.VoterName })
            .Distinct()
            .ToListAsync(ct);
        return voters.GroupBy(v => v.VoterId.Value).Select(g => (g.Key, g.First().VoterName)).OrderBy(v => v.VoterName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Queue depth, time to decision, per-officer counts and fatigue flags over the load window.</summary>
    public async Task<Result<ApprovalLoad>> GetLoadAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(QueueReaders);
        if (access.IsFailure)
            return access.Error;
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var since = now - TimeSpan.FromDays(settings.LoadWindowDays);
        await using var db = contexts.CreateDbContext();
        var waiting = await CountWaitingAsync(db, now, ct);
        var recent = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.OpenedAt >= since)
            .ToListAsync(ct);
        var agentNames = await AgentNamesAsync(db, recent.Select(r => r.AgentId), ct);
        return ApprovalLoadCalculator.Compute(recent, agentNames, waiting.Waiting, waiting.Escalated, settings);
    }

    private static async Task<Dictionary<string, string>> AgentNamesAsync(WardenDbContext db, IEnumerable<string> agentIds, CancellationToken ct)
    {
        var ids = agentIds.Distinct(StringComparer.Ordinal).Select(i => AgentId.TryParse(i, out var id) ? id : (AgentId?)null)
            .Where(i => i is not null).Select(i => i!.Value).ToList();
        return (await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            .ToDictionary(a => a.Id.Value, a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>The stored (masked) preview with the digest the request stands on; null without one.</summary>
    private static PreviewView? PreviewOf(DecisionRecord? decision, ApprovalRequest request)
    {
        if (request.PreviewDigest is not { } digest || Warden.Features.Decisions.Previews.PreviewShape.Stored(decision?.Preview) is not { } stored)
            return null;
        return new PreviewView(digest, stored.Summary ?? string.Empty, stored.Changes, [.. (stored.Records ?? []).OfType<string>()],
                               stored.Amount, stored.Currency, request.PreviewChangedAt);
    }

    private async Task<IReadOnlyList<ApprovalCard>> CardsAsync(WardenDbContext db, Actor viewer, List<ApprovalRequest> requests, CancellationToken ct)
    {
        if (requests.Count == 0)
            return [];
        var decisionIds = requests.Select(r => r.DecisionId).ToList();
        var decisions = await db.Decisions.AsNoTracking().Where(d => decisionIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, ct);
        var agentIds = requests.Select(r => r.AgentId).Distinct(StringComparer.Ordinal)
            .Select(i => AgentId.TryParse(i, out var id) ? id : (AgentId?)null).Where(i => i is not null).Select(i => i!.Value).ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => agentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id.Value, StringComparer.Ordinal, ct);
        var ownerIds = agents.Values.Select(a => a.OwnerId.Value).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.Id }).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var findings = (await Warden.Features.Guardrails.GuardrailReviewService.ForDecisionsAsync(db, decisionIds, ct))
            .ToLookup(f => f.DecisionId, f => new CardFinding(f.Kind, f.Location, f.Confidence, f.Excerpt, f.Stage), StringComparer.Ordinal);
        var voter = new Voter(viewer.Id, viewer.Email, viewer.Email, viewer.Roles, IsActive: true);
        var now = clock.GetUtcNow();

        return requests.Select(r =>
        {
            decisions.TryGetValue(r.DecisionId, out var d);
            List<ReasonBody> reasons = d is null ? [] : JsonSerializer.Deserialize<List<ReasonBody>>(d.Reasons, Json) ?? [];
            agents.TryGetValue(r.AgentId, out var a);
            return new ApprovalCard(
                r.Id,
                r.DecisionId,
                r.AgentId,
                a?.Name ?? r.AgentId,
                a is not null && owners.TryGetValue(a.OwnerId.Value, out var owner) ? owner : "unknown",
                a?.Purpose ?? string.Empty,
                a?.AutonomyLevel ?? 0,
                d?.Tool ?? "?",
                d?.Operation ?? "?",
                d?.Resource ?? "?",
                r.RiskTier.ToString().ToLowerInvariant(),
                d?.Records ?? 0,
                d?.Amount ?? 0m,
                d?.Currency,
                d?.Parameters,
                d?.Justification,
                r.RuleId,
                reasons.Where(x => !OutcomeCodes.Contains(x.Code)).Select(x => x.Message).ToList(),
                r.RequiredApprovals,
                r.Votes.Select(v => new VoteView(v.VoterId.Value, v.VoterName, v.Verdict, v.Reason, v.CastAt, v.VoidedAt)).ToList(),
                r.OpenedAt,
                r.ExpiresAt,
                r.EscalatedAt,
                r.State,
                r.ResolvedAt,
                r.ResolutionReason,
                // The vote's own checks, asked in advance so the card can say why its buttons are missing.
                r.WhyCannotVote(voter, now)?.Message,
                findings[r.DecisionId].ToList(),
                d?.ReviewOf,
                r.WhoMayDecide(),
                reasons.LastOrDefault(x => OutcomeCodes.Contains(x.Code) && x.Code != DecisionCodes.ApprovalVote)?.Message,
                PreviewOf(d, r));
        }).ToList();
    }

}
