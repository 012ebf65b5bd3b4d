using Cronos;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Domain.RedTeam;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.RedTeam;

/// <summary>
/// Red-team drills as people use them: officers run and schedule drills and keep their own cases;
/// auditors read every drill, owners their own agents' drills. Every change is audited.
/// </summary>
public sealed class RedTeamService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    RedTeamDrills drills,
    RedTeamCorpus corpus,
    AuditWriter audit,
    IRecurringJobManager recurring,
    JobStorage storage,
    IOptions<RedTeamOptions> options,
    TimeProvider clock)
{
    public static readonly string[] Officers = [Roles.SecurityOfficer];
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner];

    /// <summary>Officers drill any agent; an owner drills the agents they own or back up, before asking to promote one.</summary>
    public static readonly string[] Drillers = [Roles.SecurityOfficer, Roles.AgentOwner];

    public async Task<Result<DrillReport>> RunDrillAsync(string agentId, CancellationToken ct = default)
    {
        var actor = await access.RequireToActAsync(Drillers);
        if (actor.IsFailure)
            return actor.Error;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (await VisibleAgentsAsync(db, actor.Value, ct) is { } visible && !visible.Contains(agentId))
                return new Error("redteam.agent_not_found", $"No agent '{agentId}' of yours to drill.");
        }
        return await drills.RunAsync(agentId, AuditActor.Person(actor.Value.Id.Value, actor.Value.Email), atLevel: null, ct);
    }

    public async Task<Result<IReadOnlyList<DrillRow>>> GetDrillsAsync(CancellationToken ct = default)
    {
        var actor = await access.RequireAsync(Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var visible = await VisibleAgentsAsync(db, actor.Value, ct);
        var query = db.Set<RedTeamDrillRun>().AsNoTracking();
        if (visible is not null)
            query = query.Where(d => visible.Contains(d.AgentId));
        var rows = await query.OrderByDescending(d => d.CompletedAt).Take(options.Value.ListedDrills)
            .Select(d => new DrillRow(d.Id, d.AgentId, d.AgentName, d.CompletedAt, d.RunBy, d.Passed, d.Total, d.Score)).ToListAsync(ct);
        return rows;
    }

    public async Task<Result<DrillReport>> GetDrillAsync(string drillId, CancellationToken ct = default)
    {
        var actor = await access.RequireAsync(Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.Set<RedTeamDrillRun>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == drillId, ct);
        var visible = await VisibleAgentsAsync(db, actor.Value, ct);
        if (run is null || (visible is not null && !visible.Contains(run.AgentId)))
            return new Error("redteam.drill_not_found", "This drill does not exist.");
        return RedTeamDrills.Report(run);
    }

    /// <summary>The active agents the viewer may see, to drill or schedule.</summary>
    public async Task<Result<IReadOnlyList<DrillTarget>>> GetTargetsAsync(CancellationToken ct = default)
    {
        var actor = await access.RequireAsync(Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var visible = await VisibleAgentsAsync(db, actor.Value, ct);
        var agents = await db.Agents.AsNoTracking().Where(a => a.Status == Warden.Domain.Agents.AgentStatus.Active).ToListAsync(ct);
        return agents.Where(a => visible is null || visible.Contains(a.Id.Value)).OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => new DrillTarget(a.Id.Value, a.Name, a.AutonomyLevel)).ToList();
    }

    /// <summary>The latest drill of one agent, or null when it has none.</summary>
    public async Task<Result<DrillReport?>> GetLatestAsync(string agentId, CancellationToken ct = default)
    {
        var actor = await access.RequireAsync(Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var visible = await VisibleAgentsAsync(db, actor.Value, ct);
        if (visible is not null && !visible.Contains(agentId))
            return Result.Success<DrillReport?>(null);
        var run = await db.Set<RedTeamDrillRun>().AsNoTracking().Where(d => d.AgentId == agentId).OrderByDescending(d => d.CompletedAt).FirstOrDefaultAsync(ct);
        return Result.Success(run is null ? null : RedTeamDrills.Report(run));
    }

    /// <summary>The corpus and the officers' own cases, as run by every drill.</summary>
    public async Task<Result<IReadOnlyList<RedTeamCase>>> GetCasesAsync(CancellationToken ct = default)
    {
        var actor = await access.RequireAsync(Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var custom = await db.Set<RedTeamCustomCase>().AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(ct);
        return corpus.Cases.Concat(custom.Select(c => c.ToCase())).ToList();
    }

    public string CorpusVersion => corpus.Version;

    public async Task<Result<string>> AddCaseAsync(RedTeamCase draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var actor = await access.RequireToActAsync(Officers);
        if (actor.IsFailure)
            return actor.Error;
        var valid = RedTeamCaseRules.Validate(draft);
        if (valid.IsFailure)
            return valid.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Set<RedTeamCustomCase>().CountAsync(ct) >= RedTeamCaseRules.MaxCustomCases)
            return RedTeamErrors.TooManyCases;
        var now = clock.GetUtcNow();
        var row = new RedTeamCustomCase
        {
            Id = RedTeamCustomCase.IdPrefix + Guid.CreateVersion7(now).ToString("N"),
            Category = draft.Category,
            Title = draft.Title.Trim(),
            Expect = draft.Expect,
            Tool = draft.Tool!.Trim(),
            Operation = draft.Operation!,
            Resource = string.IsNullOrWhiteSpace(draft.Resource) ? null : draft.Resource.Trim(),
            Parameters = string.IsNullOrWhiteSpace(draft.ParametersJson) ? null : draft.ParametersJson,
            Justification = string.IsNullOrWhiteSpace(draft.Justification) ? null : draft.Justification,
            Records = draft.Records,
            Amount = draft.Amount,
            Currency = draft.Currency,
            CreatedBy = actor.Value.Id.Value,
            CreatedByName = actor.Value.Name,
            CreatedAt = now,
        };
        db.Set<RedTeamCustomCase>().Add(row);
        await audit.AppendAsync(db, [AuditEntry.Of(Person(actor.Value), "redteam.case_added", row.Id, new
        {
            category = row.Category, title = row.Title, expect = RedTeamVerdict.Word(row.Expect), tool = row.Tool, operation = row.Operation,
            resource = row.Resource,
        })], ct);
        return row.Id;
    }

    public async Task<Result> DeleteCaseAsync(string caseId, CancellationToken ct = default)
    {
        var actor = await access.RequireToActAsync(Officers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Set<RedTeamCustomCase>().SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (row is null)
            return RedTeamErrors.CaseNotFound;
        db.Set<RedTeamCustomCase>().Remove(row);
        await audit.AppendAsync(db, [AuditEntry.Of(Person(actor.Value), "redteam.case_deleted", row.Id, new { category = row.Category, title = row.Title })], ct);
        return Result.Success();
    }

    /// <summary>Schedules a drill of one agent (or of every active agent when <paramref name="agentId"/> is null) on a UTC cron.</summary>
    public async Task<Result> ScheduleAsync(string? agentId, string cron, CancellationToken ct = default)
    {
        var actor = await access.RequireToActAsync(Officers);
        if (actor.IsFailure)
            return actor.Error;
        var expression = cron?.Trim() ?? string.Empty;
        if (!CronExpression.TryParse(expression, CronFormat.Standard, out _))
            return RedTeamErrors.ScheduleInvalid;
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (agentId is not null && !await AgentExistsAsync(db, agentId, ct))
            return RedTeamErrors.AgentNotFound;
        await audit.AppendAsync(db, [AuditEntry.Of(Person(actor.Value), "redteam.drill_scheduled", agentId ?? "all-agents", new { cron = expression })], ct);
        recurring.AddOrUpdate<RedTeamDrillJob>(RedTeamDrillJob.JobIdFor(agentId), job => job.RunAsync(agentId, CancellationToken.None), expression);
        return Result.Success();
    }

    public async Task<Result> UnscheduleAsync(string? agentId, CancellationToken ct = default)
    {
        var actor = await access.RequireToActAsync(Officers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await audit.AppendAsync(db, [AuditEntry.Of(Person(actor.Value), "redteam.drill_unscheduled", agentId ?? "all-agents", new { })], ct);
        recurring.RemoveIfExists(RedTeamDrillJob.JobIdFor(agentId));
        return Result.Success();
    }

    public async Task<Result<IReadOnlyList<DrillSchedule>>> GetSchedulesAsync(CancellationToken ct = default)
    {
        var actor = await access.RequireAsync(Readers);
        if (actor.IsFailure)
            return actor.Error;
        using var connection = storage.GetConnection();
        var schedules = connection.GetRecurringJobs()
            .Where(j => j.Id.StartsWith("redteam-", StringComparison.Ordinal))
            .Select(j => new DrillSchedule(j.Id, j.Id == RedTeamDrillJob.AllAgentsJobId ? null : j.Id["redteam-".Length..], j.Cron))
            .OrderBy(s => s.JobId, StringComparer.Ordinal)
            .ToList();
        await Task.CompletedTask;
        return schedules;
    }

    private static AuditActor Person(Actor actor) => AuditActor.Person(actor.Id.Value, actor.Email);

    private static async Task<bool> AgentExistsAsync(WardenDbContext db, string agentId, CancellationToken ct) =>
        Warden.Domain.Agents.AgentId.TryParse(agentId, out var id) && await db.Agents.AnyAsync(a => a.Id == id, ct);

    /// <summary>The agents whose drills the viewer may read; null means all (officers, auditors).</summary>
    private static async Task<HashSet<string>?> VisibleAgentsAsync(WardenDbContext db, Actor actor, CancellationToken ct)
    {
        if (AgentAccess.SeesAll(actor))
            return null;
        var owned = await db.Agents.AsNoTracking().Where(a => a.OwnerId == actor.Id || a.BackupOwnerId == actor.Id).Select(a => a.Id).ToListAsync(ct);
        return owned.Select(a => a.Value).ToHashSet(StringComparer.Ordinal);
    }
}
