using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Autonomy;

/// <summary>
/// Promotion as people use it: owners see their agents' readiness and request one level up; officers
/// who neither own nor back up the agent approve or reject; auditors read. Every step is audited.
/// </summary>
public sealed class AutonomyService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    IOptions<AutonomyOptions> options,
    IOptions<DirectoryOptions> directory,
    IEvidenceCheck evidence,
    IToolCompensations compensations,
    IRedTeamCheck redTeam,
    TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor];
    private const int MaxAgents = 100;
    private const int MaxRequests = 200;

    /// <summary>The viewer's agents (owners) or all live agents (officers, auditors), measured against their next level.</summary>
    public async Task<Result<IReadOnlyList<AgentReadiness>>> GetReadinessAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var agents = db.Agents.AsNoTracking().Where(a => a.Status != AgentStatus.Retired);
        if (!AgentAccess.SeesAll(actor))
            agents = agents.Where(a => a.OwnerId == actor.Id);
        var list = await agents.OrderBy(a => a.NormalizedName).Take(MaxAgents).ToListAsync(ct);
        var rows = new List<AgentReadiness>(list.Count);
        foreach (var agent in list)
            rows.Add(await ReadinessAsync(db, actor, agent, ct));
        return rows;
    }

    /// <summary>What the agent page shows: level, what it allows alone, readiness and the history of level changes.</summary>
    public async Task<Result<AgentAutonomy>> GetAgentAutonomyAsync(string agentId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(AgentAccess.Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var found = await AgentAccess.FindVisibleAsync(db, access.Value, agentId, ct);
        if (found.IsFailure)
            return found.Error;
        var agent = found.Value;
        var changes = await db.AgentChanges.AsNoTracking()
            .Where(c => c.AgentId == agent.Id.Value && AutonomyChanges.Kinds.Contains(c.Kind))
            .OrderByDescending(c => c.Id)
            .Take(100)
            .ToListAsync(ct);
        var history = changes.Select(c => new LevelChangeRow(c.At, c.ActorName, c.Kind == AutonomyChanges.Promoted, Level(c.Before), Level(c.After), c.Reason)).ToList();
        return new AgentAutonomy(agent.AutonomyLevel, AutonomyLevels.AllowsAlone(agent.AutonomyLevel), AutonomyLevels.NeedsApproval(agent.AutonomyLevel),
                                 await ReadinessAsync(db, access.Value, agent, ct), history);
    }

    /// <summary>Promotion requests, newest first: all of them for officers and auditors, their own agents' for owners.</summary>
    public async Task<Result<IReadOnlyList<PromotionRow>>> GetRequestsAsync(bool openOnly, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var query = db.PromotionRequests.AsNoTracking();
        if (openOnly)
            query = query.Where(r => r.State == PromotionState.Open && r.ExpiresAt > now);
        if (!AgentAccess.SeesAll(actor))
        {
            var mine = db.Agents.Where(a => a.OwnerId == actor.Id || a.BackupOwnerId == actor.Id).Select(a => a.Id);
            query = query.Where(r => mine.Contains(r.AgentId));
        }
        var requests = await query.OrderByDescending(r => r.RequestedAt).Take(MaxRequests).ToListAsync(ct);
        return Result.Success(await RowsAsync(db, actor, requests, now, ct));
    }

    /// <summary>The owner asks for one level up; the criteria are measured now and kept with the request.</summary>
    public async Task<Result<string>> RequestPromotionAsync(string agentId, string? justification, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.AgentOwner);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var agent = await FindAsync(db, agentId, ct);
        if (agent is null || !AgentAccess.CanSee(actor, agent))
            return AgentAccess.NotFound(agentId);
        var now = clock.GetUtcNow();
        var criteria = options.Value.CriteriaFor(agent.AutonomyLevel + 1);
        if (criteria is null)
            return PromotionErrors.AtTopLevel;
        var open = await db.PromotionRequests.SingleOrDefaultAsync(r => r.AgentId == agent.Id && r.State == PromotionState.Open, ct);
        var entries = new List<AuditEntry>();
        if (open is not null)
        {
            if (!open.ExpireIfDue(now))
                return PromotionErrors.AlreadyOpen;
            db.Entry(open).Property<int>("Version").CurrentValue++;
            entries.Add(PromotionAudit.Entry(null, "autonomy.promotion_expired", open));
        }
        var record = await WithDrillAsync(db, agent, criteria, await TrackRecords.MeasureAsync(db, agent, directory.Value.AttestationPeriod, evidence, now, ct,
            compensable: await compensations.AllAsync(ct)), ct);
        var measured = PromotionCriteria.Evaluate(criteria, record, now);
        // A failed drill is not outweighed by a justification: the agent is attacked again first.
        if (measured.FirstOrDefault(c => c.Code == CriterionCodes.RedTeamDrill && !c.Passed) is { } drill)
            return PromotionErrors.RedTeamDrillNotPassed(drill.Missing);
        var submitted = PromotionRequest.Submit(
            PromotionRequest.IdPrefix + Guid.CreateVersion7(now).ToString("N"), agent, actor.Id, actor.Name,
            measured, justification, now, TimeSpan.FromDays(options.Value.RequestExpiryDays));
        if (submitted.IsFailure)
            return submitted.Error;
        db.PromotionRequests.Add(submitted.Value);
        entries.Add(PromotionAudit.Entry(actor, "autonomy.promotion_requested", submitted.Value));
        try
        {
            await audit.AppendAsync(db, entries, ct);
        }
        catch (DbUpdateException)
        {
            return PromotionErrors.AlreadyOpen;
        }
        return submitted.Value.Id;
    }

    /// <summary>An officer approves (the agent's level rises for its very next request) or rejects, with a reason.</summary>
    public async Task<Result> DecideAsync(string requestId, bool approve, string? reason, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var request = await db.PromotionRequests.SingleOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return PromotionErrors.NotFound;
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == request.AgentId, ct);
        if (agent is null)
            return PromotionErrors.NotFound;
        var now = clock.GetUtcNow();
        if (request.ExpireIfDue(now))
        {
            db.Entry(request).Property<int>("Version").CurrentValue++;
            await SaveAsync(db, [PromotionAudit.Entry(null, "autonomy.promotion_expired", request)], ct);
            return PromotionErrors.Expired;
        }
        var decider = await DeciderAsync(db, actor, agent, ct);
        var before = AgentSnapshot.Of(agent);
        var result = approve ? request.Approve(decider, reason, agent, now) : request.Reject(decider, reason, now);
        if (result.IsFailure)
            return result;
        db.Entry(request).Property<int>("Version").CurrentValue++;
        if (approve)
            db.AgentChanges.Add(AgentRegistryService.ChangeRecord(agent, actor, AutonomyChanges.Promoted,
                $"Promoted from level {request.FromLevel} to {request.ToLevel} ({request.Id}): {request.DecisionReason}", before, now));
        var entries = AgentChangeAudit.PendingIn(db).Append(PromotionAudit.Entry(actor, approve ? "autonomy.promotion_approved" : "autonomy.promotion_rejected", request)).ToList();
        var saved = await SaveAsync(db, entries, ct);
        if (saved.IsSuccess)
            return saved;
        await using var again = contexts.CreateDbContext();
        var winner = await again.PromotionRequests.AsNoTracking().SingleAsync(r => r.Id == requestId, ct);
        return winner.IsOpen ? saved : PromotionErrors.AlreadyDecided(winner.State, winner.DecidedByName);
    }

    private async Task<Result> SaveAsync(WardenDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        try
        {
            await audit.AppendAsync(db, entries, ct);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            return AgentRegistryErrors.ChangedMeanwhile;
        }
    }

    private async Task<TrackRecord> WithDrillAsync(WardenDbContext db, Agent agent, LevelCriteria criteria, TrackRecord record, CancellationToken ct) =>
        criteria.MinRedTeamScore is null ? record : record with { LatestDrill = await redTeam.LatestAsync(db, agent.Id.Value, criteria.TargetLevel, ct) };

    private async Task<AgentReadiness> ReadinessAsync(WardenDbContext db, Actor viewer, Agent agent, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var next = agent.AutonomyLevel < Agent.MaxAutonomyLevel ? agent.AutonomyLevel + 1 : (int?)null;
        var criteria = next is { } level ? options.Value.CriteriaFor(level) : null;
        var results = criteria is null ? [] : PromotionCriteria.Evaluate(criteria, await WithDrillAsync(db, agent, criteria,
            await TrackRecords.MeasureAsync(db, agent, directory.Value.AttestationPeriod, evidence, now, ct, checkEvidence: criteria.RequireVerifiedEvidence,
                                            compensable: criteria.MinCompensableWriteTools > 0 ? await compensations.AllAsync(ct) : null), ct), now);
        var open = await db.PromotionRequests.AsNoTracking()
            .Where(r => r.AgentId == agent.Id && r.State == PromotionState.Open && r.ExpiresAt > now)
            .Select(r => r.Id)
            .FirstOrDefaultAsync(ct);
        var canRequest = next is not null && open is null && agent.Status == AgentStatus.Active && viewer.IsIn(Roles.AgentOwner) && agent.OwnerId == viewer.Id;
        return new AgentReadiness(agent.Id.Value, agent.Name, agent.AutonomyLevel, next, results, open, canRequest);
    }

    private static async Task<IReadOnlyList<PromotionRow>> RowsAsync(WardenDbContext db, Actor viewer, List<PromotionRequest> requests, DateTimeOffset now, CancellationToken ct)
    {
        if (requests.Count == 0)
            return [];
        var ids = requests.Select(r => r.AgentId).Distinct().ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var people = agents.Values.SelectMany(a => new[] { a.OwnerId.Value, a.BackupOwnerId?.Value }).OfType<string>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, Name = u.DisplayName ?? u.Email ?? u.Id }).ToDictionaryAsync(u => u.Id, ct);
        return requests.Select(r =>
        {
            agents.TryGetValue(r.AgentId, out var agent);
            var owner = agent is not null && users.TryGetValue(agent.OwnerId.Value, out var o) ? o : null;
            var backup = agent?.BackupOwnerId is { } b && users.TryGetValue(b.Value, out var bu) ? bu : null;
            var state = r.State == PromotionState.Open && now >= r.ExpiresAt ? PromotionState.Expired : r.State;
            string? why = null;
            if (state == PromotionState.Open)
            {
                var decider = new PromotionDecider(viewer.Id, viewer.Email, viewer.Name, viewer.Roles, owner?.Email, backup?.Email);
                why = r.WhyCannotDecide(decider, now)?.Message;
            }
            return new PromotionRow(r.Id, r.AgentId.Value, agent?.Name ?? r.AgentId.Value, owner?.Name ?? "unknown", r.FromLevel, r.ToLevel, r.RequestedByName,
                r.RequestedAt, r.ExpiresAt, r.Criteria, r.CriteriaMet, r.Justification, state, r.DecidedByName, r.DecidedAt, r.DecisionReason,
                state == PromotionState.Open && why is null, state == PromotionState.Open ? why : null);
        }).ToList();
    }

    private static async Task<PromotionDecider> DeciderAsync(WardenDbContext db, Actor actor, Agent agent, CancellationToken ct)
    {
        var ownerId = agent.OwnerId.Value;
        var backupId = agent.BackupOwnerId?.Value;
        var emails = await db.Users.AsNoTracking().Where(u => u.Id == ownerId || u.Id == backupId).Select(u => new { u.Id, u.Email }).ToListAsync(ct);
        return new PromotionDecider(actor.Id, actor.Email, actor.Name, actor.Roles,
            emails.FirstOrDefault(e => e.Id == ownerId)?.Email, backupId is null ? null : emails.FirstOrDefault(e => e.Id == backupId)?.Email);
    }

    private static Task<Agent?> FindAsync(WardenDbContext db, string agentId, CancellationToken ct) =>
        AgentId.TryParse(agentId, out var id) ? db.Agents.SingleOrDefaultAsync(a => a.Id == id, ct) : Task.FromResult<Agent?>(null);

    private static int? Level(string? snapshot) =>
        snapshot is null ? null : JsonNode.Parse(snapshot)?["autonomyLevel"]?.GetValue<int>();
}
