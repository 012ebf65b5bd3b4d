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

    /// <summary>
    /// A page of finished requests (approved, denied, expired, cancelled), newest first, read by keyset
    /// (opened, id) so that the page after a million requests costs what the first does.
    /// </summary>
    public async Task<Result<ApprovalHistoryPage>> GetHistoryAsync(ApprovalHistoryFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var access = await guard.RequireAsync(QueueReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var officerRequests = await OfficerRequestsAsync(db, filter.OfficerId, ct);
        var (keys, hasOlder, hasNewer) = officerRequests is null
            ? await HistoryPageAsync(HistoryQuery(db, filter), filter, ct)
            : HistoryPage(await HistoryKeysAsync(db, officerRequests, ct), filter);
        var ids = keys.Select(k => k.Id).ToList();
        var requests = (await db.ApprovalRequests.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct))
            .OrderByDescending(r => r.OpenedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();
        return new ApprovalHistoryPage(await CardsAsync(db, access.Value, requests, ct), hasOlder, hasNewer);
    }

    /// <summary>Below this many votes an officer's requests are read by key and ordered here; above, the history is walked newest first.</summary>
    internal const int FewOfficerVotes = 5_000;

    /// <summary>
    /// The ids of the requests <paramref name="officerId"/> voted on when they are few (at most
    /// <see cref="FewOfficerVotes"/>); null when there is no officer filter or the officer voted often, so
    /// that walking the history newest first meets their requests soon.
    /// </summary>
    private static async Task<List<string>?> OfficerRequestsAsync(WardenDbContext db, string? officerId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(officerId))
            return null;
        var ids = await db.Database
            .SqlQuery<string>($"""SELECT "RequestId" AS "Value" FROM "ApprovalVotes" WHERE "VoterId" = {officerId} LIMIT {FewOfficerVotes + 1}""")
            .ToListAsync(ct);
        return ids.Count <= FewOfficerVotes ? ids.Distinct(StringComparer.Ordinal).ToList() : null;
    }

    /// <summary>The finished requests the filter names (the officer filter as a test on each request's votes).</summary>
    private static IQueryable<ApprovalRequest> HistoryQuery(WardenDbContext db, ApprovalHistoryFilter filter)
    {
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
        return query;
    }

    /// <summary>One page of keys past the filter's cursor, and whether more lie on either side; each read walks an index ending in (opened, id).</summary>
    private static async Task<(List<HistoryKey> Keys, bool HasOlder, bool HasNewer)> HistoryPageAsync(
        IQueryable<ApprovalRequest> query, ApprovalHistoryFilter filter, CancellationToken ct)
    {
        var size = ApprovalHistoryFilter.PageSize;
        if (filter.After is { } after && filter.Before is null)
        {
            var newer = await Keys(Newer(query, filter, after).OrderBy(r => r.OpenedAt).ThenBy(r => r.Id)).Take(size + 1).ToListAsync(ct);
            var page = newer.Take(size).Reverse().ToList();
            var hasOlder = page.Count > 0 && await Older(query, filter, page[^1].Cursor).AnyAsync(ct);
            return (page, hasOlder, newer.Count > size);
        }
        var keys = await Keys(Older(query, filter, filter.Before).OrderByDescending(r => r.OpenedAt).ThenByDescending(r => r.Id)).Take(size + 1).ToListAsync(ct);
        var shown = keys.Take(size).ToList();
        var hasNewer = filter.Before is not null && shown.Count > 0 && await Newer(query, filter, shown[0].Cursor).AnyAsync(ct);
        return (shown, keys.Count > size, hasNewer);
    }

    // The requests of the filter's period older than the cursor (all of the period without one). Each
    // side of the range is given once, the nearer of the period's end and the cursor: given both,
    // SQLite bounds its index walk by one of them and may start at the far one.
    private static IQueryable<ApprovalRequest> Older(IQueryable<ApprovalRequest> query, ApprovalHistoryFilter filter, ApprovalHistoryCursor? c)
    {
        if (filter.From is { } from)
            query = query.Where(r => r.OpenedAt >= from);
        if (filter.To is { } to && (c is null || to <= c.OpenedAt))
            return query.Where(r => r.OpenedAt < to);
        return c is null ? query : Before(query, c);
    }

    private static IQueryable<ApprovalRequest> Newer(IQueryable<ApprovalRequest> query, ApprovalHistoryFilter filter, ApprovalHistoryCursor c)
    {
        if (filter.To is { } to)
            query = query.Where(r => r.OpenedAt < to);
        if (filter.From is { } from && from > c.OpenedAt)
            return query.Where(r => r.OpenedAt >= from);
        return After(query, c);
    }

#pragma warning disable CA1309 // EF translates string.Compare to the column's own comparison; CompareOrdinal has no translation.
    // "Opened before, or at the same tick with a smaller id"; the first test alone bounds the index range.
    private static IQueryable<ApprovalRequest> Before(IQueryable<ApprovalRequest> query, ApprovalHistoryCursor c) =>
        query.Where(r => r.OpenedAt <= c.OpenedAt && (r.OpenedAt < c.OpenedAt || string.Compare(r.Id, c.Id) < 0));

    private static IQueryable<ApprovalRequest> After(IQueryable<ApprovalRequest> query, ApprovalHistoryCursor c) =>
        query.Where(r => r.OpenedAt >= c.OpenedAt && (r.OpenedAt > c.OpenedAt || string.Compare(r.Id, c.Id) > 0));
#pragma warning restore CA1309

    private static IQueryable<HistoryKey> Keys(IQueryable<ApprovalRequest> query) =>
        query.Select(r => new HistoryKey(r.Id, r.OpenedAt, r.State, r.AgentId));

    /// <summary>The keys of an officer's few requests, read by id and nothing else, so the database looks each up by its key.</summary>
    private static async Task<List<HistoryKey>> HistoryKeysAsync(WardenDbContext db, List<string> ids, CancellationToken ct) =>
        // One parameter holding the list (json_each on SQLite, an array on PostgreSQL), not one per id.
        await Keys(db.ApprovalRequests.AsNoTracking().Where(r => EF.Parameter(ids).Contains(r.Id))).ToListAsync(ct);

    /// <summary>The page of <paramref name="keys"/> (an officer's few requests) that the filter and its cursor name, as <see cref="HistoryPageAsync"/> reads it.</summary>
    private static (List<HistoryKey> Keys, bool HasOlder, bool HasNewer) HistoryPage(List<HistoryKey> keys, ApprovalHistoryFilter filter)
    {
        var matching = keys.Where(k => k.State != ApprovalState.Pending
                && (filter.State is not { } state || k.State == state)
                && (string.IsNullOrWhiteSpace(filter.AgentId) || k.AgentId == filter.AgentId)
                && (filter.From is not { } from || k.OpenedAt >= from)
                && (filter.To is not { } to || k.OpenedAt < to))
            .OrderByDescending(k => k.OpenedAt).ThenByDescending(k => k.Id, StringComparer.Ordinal).ToList();
        var size = ApprovalHistoryFilter.PageSize;
        int first;
        if (filter.After is { } after && filter.Before is null)
        {
            var newer = matching.FindLastIndex(k => k.Cursor.IsNewerThan(after));
            if (newer < 0)
                return ([], false, false);
            first = Math.Max(0, newer + 1 - size);
            return (matching.Skip(first).Take(newer + 1 - first).ToList(), newer + 1 < matching.Count, first > 0);
        }
        first = filter.Before is { } before ? matching.FindIndex(k => !k.Cursor.IsNewerThan(before) && k.Cursor != before) : 0;
        if (first < 0)
            return ([], false, false);
        return (matching.Skip(first).Take(size).ToList(), matching.Count > first + size, first > 0);
    }

    /// <summary>What the history reads of a request to place it in its order before loading the page whole.</summary>
    private sealed record HistoryKey(string Id, DateTimeOffset OpenedAt, ApprovalState State, string AgentId)
    {
        public ApprovalHistoryCursor Cursor => new(OpenedAt, Id);
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
        // One seek of the votes' (voter, request) index per voter, from one voter to the next: a few
        // dozen people, however many votes they cast.
        var voters = new List<(string Id, string Name)>();
        string? after = null;
        while (voters.Count < MaxVoters)
        {
            var next = after is null
                ? await db.Database.SqlQuery<VoterRow>($"""SELECT "VoterId", "VoterName" FROM "ApprovalVotes" ORDER BY "VoterId" LIMIT 1""").ToListAsync(ct)
                : await db.Database.SqlQuery<VoterRow>($"""SELECT "VoterId", "VoterName" FROM "ApprovalVotes" WHERE "VoterId" > {after} ORDER BY "VoterId" LIMIT 1""").ToListAsync(ct);
            if (next.Count == 0)
                break;
            voters.Add((next[0].VoterId, next[0].VoterName));
            after = next[0].VoterId;
        }
        return voters.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private const int MaxVoters = 1_000;

    private sealed record VoterRow(string VoterId, string VoterName);

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
        var (decided, votes) = await ApprovalLoadReader.ReadAsync(db, since, ct);
        // Agents are named only where a fast approval is flagged.
        var agentNames = await AgentNamesAsync(db, votes.Where(v => ApprovalLoadCalculator.IsRubberStamp(v, settings)).Select(v => v.AgentId), ct);
        return ApprovalLoadCalculator.Compute(decided, votes, agentNames, waiting.Waiting, waiting.Escalated, settings);
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
