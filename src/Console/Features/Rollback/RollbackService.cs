using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Domain.Rollback;
using Warden.Features.Agents;
using Warden.Features.Decisions;
using Warden.Features.Tools;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Rollback;

/// <summary>
/// Rolling back actions that ran, as people ask for it: one action, several chosen ones, or every
/// action of an agent in the last minutes. Officers roll back any agent's actions, owners their own
/// agents'; everyone who sees an agent sees its rollbacks. Every call re-checks the person.
/// </summary>
public sealed class RollbackService(AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, RollbackRunner runner, ToolHooks hooks, TimeProvider clock)
{
    public const int MaxActions = 50;
    public const int MaxWindowMinutes = 24 * 60;
    public static readonly TimeSpan RecentSpan = TimeSpan.FromDays(7);

    private static readonly string[] Readers = [Roles.Administrator, Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor];
    private static readonly string[] Askers = [Roles.SecurityOfficer, Roles.AgentOwner];
    private static readonly string[] RanStatuses = ["succeeded", "rolled_back"];

    /// <summary>Rolls back one action; a refusal before any call is the error, a call that failed is a failed rollback.</summary>
    public async Task<Result<RollbackRow>> RollBackAsync(string decisionId, CancellationToken ct = default)
    {
        var batch = await RollBackSelectedAsync([decisionId], ct);
        if (batch.IsFailure)
            return batch.Error;
        return batch.Value.Called is [var row]
            ? row
            : new Error(batch.Value.Refused[0].Code, batch.Value.Refused[0].Message);
    }

    /// <summary>Rolls back the chosen actions (decision ids), newest first; each is its own rollback.</summary>
    public async Task<Result<RollbackBatch>> RollBackSelectedAsync(IReadOnlyList<string> decisionIds, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Askers);
        if (access.IsFailure)
            return access.Error;
        var ids = decisionIds.Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
            return RollbackErrors.NoActions;
        if (ids.Count > MaxActions)
            return RollbackErrors.TooManyActions(MaxActions);
        await using var db = contexts.CreateDbContext();
        var decisions = await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.Id) && d.ReviewOf == null).ToListAsync(ct);
        var agents = await AgentsAsync(db, decisions.Select(d => d.AgentId), ct);
        var refused = new List<RollbackRefusal>();
        var allowed = new List<DecisionRecord>();
        foreach (var id in ids)
        {
            var decision = decisions.FirstOrDefault(d => d.Id == id);
            var agent = decision is null ? null : agents.GetValueOrDefault(decision.AgentId);
            if (decision is null || agent is null || !CanSee(access.Value, agent))
            {
                var missing = RollbackErrors.NotFound(id);
                refused.Add(new RollbackRefusal(id, string.Empty, missing.Code, missing.Message));
                continue;
            }
            var may = RollbackRequest.MayAsk(access.Value.Roles, agent.OwnerId == access.Value.Id);
            if (may.IsFailure)
                refused.Add(new RollbackRefusal(id, decision.Tool, may.Error.Code, may.Error.Message));
            else
                allowed.Add(decision);
        }
        var batch = await runner.RunAsync(access.Value, allowed);
        return new RollbackBatch(batch.Called, [.. refused, .. batch.Refused]);
    }

    /// <summary>Rolls back every action of the agent that ran in the last <paramref name="minutes"/> minutes, newest first.</summary>
    public async Task<Result<RollbackBatch>> RollBackRecentAsync(string agentId, int minutes, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Askers);
        if (access.IsFailure)
            return access.Error;
        if (minutes is < 1 or > MaxWindowMinutes)
            return RollbackErrors.WindowOutOfRange(MaxWindowMinutes);
        await using var db = contexts.CreateDbContext();
        var agent = await VisibleAgentAsync(db, access.Value, agentId, ct);
        if (agent is null)
            return AgentAccess.NotFound(agentId);
        var may = RollbackRequest.MayAsk(access.Value.Roles, agent.OwnerId == access.Value.Id);
        if (may.IsFailure)
            return may.Error;
        var since = clock.GetUtcNow().AddMinutes(-minutes);
        var decisions = await db.Decisions.AsNoTracking()
            .Where(d => d.AgentId == agentId && d.DecidedAt >= since && d.OutcomeStatus == "succeeded" && d.ReviewOf == null)
            .OrderByDescending(d => d.DecidedAt).Take(MaxActions).ToListAsync(ct);
        return await runner.RunAsync(access.Value, decisions);
    }

    /// <summary>The agent's actions that ran in the last week (at most <see cref="MaxActions"/>), newest first, with their rollbacks.</summary>
    public async Task<Result<RecentActions>> GetRecentActionsAsync(string agentId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var agent = await VisibleAgentAsync(db, access.Value, agentId, ct);
        if (agent is null)
            return AgentAccess.NotFound(agentId);
        var since = clock.GetUtcNow() - RecentSpan;
        var decisions = await db.Decisions.AsNoTracking()
            .Where(d => d.AgentId == agentId && d.DecidedAt >= since && d.OutcomeStatus != null && RanStatuses.Contains(d.OutcomeStatus) && d.ReviewOf == null)
            .OrderByDescending(d => d.DecidedAt).Take(MaxActions).ToListAsync(ct);
        var ids = decisions.Select(d => d.Id).ToList();
        var rollbacks = await db.Rollbacks.AsNoTracking().Where(r => ids.Contains(r.DecisionId)).ToDictionaryAsync(r => r.DecisionId, ct);
        var toolHooks = await hooks.AllAsync(ct);
        var rows = decisions.Select(d => new RecentActionRow(d.Id, d.DecidedAt, d.Tool, d.Operation, d.Resource, d.OutcomeStatus!,
            toolHooks.TryGetValue(d.Tool, out var hook) && hook.DeclaresCompensation,
            rollbacks.TryGetValue(d.Id, out var rollback) ? RollbackRow.Of(rollback) : null)).ToList();
        return new RecentActions(rows, RollbackRequest.MayAsk(access.Value.Roles, agent.OwnerId == access.Value.Id).IsSuccess);
    }

    /// <summary>The rollback of one decision, if any was asked for (null otherwise), and whether the viewer may ask for one.</summary>
    public async Task<Result<DecisionRollback>> GetRollbackAsync(string decisionId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        var agent = decision is null ? null : await VisibleAgentAsync(db, access.Value, decision.AgentId, ct);
        if (decision is null || agent is null)
            return RollbackErrors.NotFound(decisionId);
        var rollback = await db.Rollbacks.AsNoTracking().SingleOrDefaultAsync(r => r.DecisionId == decisionId, ct);
        var hook = await hooks.FindAsync(decision.Tool, ct);
        var ran = RollbackRequest.CanUndo(decision.Id, decision.OutcomeStatus).IsSuccess || decision.OutcomeStatus == "rolled_back";
        return new DecisionRollback(decision.Id, decision.Tool, ran, hook?.DeclaresCompensation == true,
            RollbackRequest.MayAsk(access.Value.Roles, agent.OwnerId == access.Value.Id).IsSuccess, rollback is null ? null : RollbackRow.Of(rollback));
    }

    private static bool CanSee(Actor actor, Agent agent) => AgentAccess.CanSee(actor, agent);

    private static async Task<Agent?> VisibleAgentAsync(WardenDbContext db, Actor actor, string agentId, CancellationToken ct)
    {
        var found = await AgentAccess.FindVisibleAsync(db, actor, agentId, ct);
        return found.IsSuccess ? found.Value : null;
    }

    private static async Task<Dictionary<string, Agent>> AgentsAsync(WardenDbContext db, IEnumerable<string> agentIds, CancellationToken ct)
    {
        var ids = agentIds.Distinct().Select(id => AgentId.TryParse(id, out var parsed) ? parsed : (AgentId?)null).OfType<AgentId>().ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        return agents.ToDictionary(a => a.Id.Value, StringComparer.Ordinal);
    }
}

/// <summary>What the decision's detail shows of its rollback.</summary>
/// <param name="Ran">The action ran (its outcome was reported succeeded, or it was rolled back since).</param>
/// <param name="Undoable">The tool declares a compensating action.</param>
/// <param name="CanAsk">The viewer may ask for a rollback of this agent's actions.</param>
public sealed record DecisionRollback(string DecisionId, string Tool, bool Ran, bool Undoable, bool CanAsk, RollbackRow? Rollback);
