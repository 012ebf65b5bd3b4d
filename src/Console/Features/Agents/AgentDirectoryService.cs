using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>Reads the directory: pages of agents, one agent in full, people who can own agents.</summary>
public sealed class AgentDirectoryService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    IOptions<DirectoryOptions> options,
    TimeProvider clock)
{
    public const int MaxPageSize = 100;
    private static readonly TimeSpan DueSoon = AttestationPrompt.ReminderWindow;

    public async Task<Result<AgentPage>> GetAgentsAsync(AgentQuery query, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(AgentAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;

        await using var db = contexts.CreateDbContext();
        var filtered = Filter(db, Visible(db.Agents.AsNoTracking(), actor.Value), query);
        var total = await filtered.CountAsync(cancellationToken);
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var agents = await Sort(filtered, query)
            .Skip(Math.Max(0, query.Page) * size)
            .Take(size)
            .ToListAsync(cancellationToken);
        var people = await LoadPeopleAsync(db, agents.SelectMany(PeopleOf), cancellationToken);
        return new AgentPage(agents.Select(a => ToRow(a, people)).ToList(), total);
    }

    public async Task<Result<AgentDetails>> GetAgentAsync(string id, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(AgentAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;
        if (!AgentId.TryParse(id, out var agentId))
            return AgentAccess.NotFound(id);

        await using var db = contexts.CreateDbContext();
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (agent is null || !AgentAccess.CanSee(actor.Value, agent))
            return AgentAccess.NotFound(id);

        var people = await LoadPeopleAsync(db, PeopleOf(agent), cancellationToken);
        var changes = await db.AgentChanges.AsNoTracking()
            .Where(c => c.AgentId == agentId.Value)
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Select(c => new AgentChangeRow(c.At, c.ActorName, c.Kind, c.Reason, c.Before, c.After))
            .ToListAsync(cancellationToken);
        return new AgentDetails(
            ToRow(agent, people),
            agent.Purpose,
            agent.Tools,
            agent.Scopes.Select(s => s.Pattern).ToList(),
            agent.RateLimitPerMinute,
            agent.Caps,
            agent.PendingOwnerId is { } pending ? people.GetValueOrDefault(pending.Value) : null,
            agent.StatusReason,
            agent.RegisteredAt,
            changes,
            AgentAccess.PermissionsFor(actor.Value, agent));
    }

    /// <summary>Active people holding the Agent owner role: the choices for owner and backup.</summary>
    public async Task<Result<IReadOnlyList<PersonRef>>> GetOwnerCandidatesAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(AgentAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;

        await using var db = contexts.CreateDbContext();
        return await (from user in db.Users
                      join link in db.UserRoles on user.Id equals link.UserId
                      join role in db.Roles on link.RoleId equals role.Id
                      where role.Name == Roles.AgentOwner && !user.IsDisabled
                      orderby user.Email
                      select new PersonRef(user.Id, user.Email!, user.DisplayName)).ToListAsync(cancellationToken);
    }

    public async Task<Result<DirectoryStats>> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(AgentAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;

        await using var db = contexts.CreateDbContext();
        var visible = Visible(db.Agents.AsNoTracking(), actor.Value).Where(a => a.Status != AgentStatus.Retired);
        var now = clock.GetUtcNow();
        var overdueBefore = now - options.Value.AttestationPeriod;
        var dueBefore = overdueBefore + DueSoon;
        return new DirectoryStats(
            await visible.CountAsync(cancellationToken),
            await visible.CountAsync(a => a.Status == AgentStatus.Active, cancellationToken),
            await visible.CountAsync(a => a.Status == AgentStatus.Suspended, cancellationToken),
            await visible.CountAsync(a => a.OrphanedSince != null, cancellationToken),
            await visible.CountAsync(a => a.LastAttestedAt < overdueBefore, cancellationToken),
            await visible.CountAsync(a => a.LastAttestedAt >= overdueBefore && a.LastAttestedAt < dueBefore, cancellationToken));
    }

    internal static IQueryable<Agent> Visible(IQueryable<Agent> agents, Actor actor)
    {
        if (AgentAccess.SeesAll(actor))
            return agents;
        UserId? me = actor.Id;
        return agents.Where(a => a.OwnerId == actor.Id || a.BackupOwnerId == me || a.PendingOwnerId == me);
    }

    private IQueryable<Agent> Filter(WardenDbContext db, IQueryable<Agent> agents, AgentQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim();
            var upper = text.ToUpperInvariant();
            agents = AgentId.TryParse(text, out var id)
                ? agents.Where(a => a.Id == id)
                : agents.Where(a => a.NormalizedName.Contains(upper));
        }
        if (!string.IsNullOrWhiteSpace(query.OwnerId))
            agents = agents.Where(a => a.OwnerId == new UserId(query.OwnerId));
        if (query.Status is { } status)
            agents = agents.Where(a => a.Status == status);
        if (query.AutonomyLevel is { } level)
            agents = agents.Where(a => a.AutonomyLevel == level);
        if (!string.IsNullOrWhiteSpace(query.Segment))
        {
            var segment = query.Segment.Trim().ToLowerInvariant();
            agents = agents.Where(a => a.Segment == segment);
        }
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            // The tag's rows in AgentTags (keyed by tag, then agent), not every agent's tag list.
            agents = from agent in agents
                     join tagged in db.AgentTags on agent.Id equals tagged.AgentId
                     where tagged.Tag == tag
                     select agent;
        }
        if (query.Risk is { } risk)
            agents = agents.Where(a => a.HighestRisk == risk);
        if (query.AttestationDueOnly)
        {
            var dueBefore = clock.GetUtcNow() - options.Value.AttestationPeriod + DueSoon;
            agents = agents.Where(a => a.Status != AgentStatus.Retired && a.LastAttestedAt < dueBefore);
        }
        if (query.OrphanedOnly)
            agents = agents.Where(a => a.OrphanedSince != null);
        return agents;
    }

    private static IQueryable<Agent> Sort(IQueryable<Agent> agents, AgentQuery query)
    {
        IOrderedQueryable<Agent> sorted = query.SortBy switch
        {
            AgentSortColumn.Status => Order(agents, a => a.Status, query.Descending),
            AgentSortColumn.AutonomyLevel => Order(agents, a => a.AutonomyLevel, query.Descending),
            AgentSortColumn.Segment => Order(agents, a => a.Segment, query.Descending),
            AgentSortColumn.Risk => Order(agents, a => a.HighestRisk, query.Descending),
            AgentSortColumn.LastAttestedAt => Order(agents, a => a.LastAttestedAt, query.Descending),
            AgentSortColumn.RegisteredAt => Order(agents, a => a.RegisteredAt, query.Descending),
            _ => Order(agents, a => a.Name, query.Descending),
        };
        return query.Descending ? sorted.ThenByDescending(a => a.Id) : sorted.ThenBy(a => a.Id);
    }

    private static IOrderedQueryable<Agent> Order<TKey>(IQueryable<Agent> agents, System.Linq.Expressions.Expression<Func<Agent, TKey>> key, bool descending) =>
        descending ? agents.OrderByDescending(key) : agents.OrderBy(key);

    private static IEnumerable<string> PeopleOf(Agent agent)
    {
        yield return agent.OwnerId.Value;
        if (agent.BackupOwnerId is { } backup)
            yield return backup.Value;
        if (agent.PendingOwnerId is { } pending)
            yield return pending.Value;
    }

    internal static async Task<Dictionary<string, PersonRef>> LoadPeopleAsync(WardenDbContext db, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Users.AsNoTracking()
            .Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new PersonRef(u.Id, u.Email ?? u.Id, u.DisplayName), cancellationToken);
    }

    private AgentRow ToRow(Agent agent, IReadOnlyDictionary<string, PersonRef> people)
    {
        var period = options.Value.AttestationPeriod;
        return new AgentRow(
            agent.Id.Value,
            agent.Name,
            Person(people, agent.OwnerId.Value),
            agent.BackupOwnerId is { } backup ? Person(people, backup.Value) : null,
            agent.Status,
            agent.AutonomyLevel,
            agent.Segment,
            agent.Tags,
            agent.HighestRisk,
            agent.LastAttestedAt,
            agent.AttestationDueAt(period),
            agent.IsAttestationOverdue(period, clock.GetUtcNow()),
            agent.OrphanedSince);
    }

    private static PersonRef Person(IReadOnlyDictionary<string, PersonRef> people, string id) =>
        people.GetValueOrDefault(id) ?? new PersonRef(id, "(removed person)", null);
}
