using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>Who may see and change which agent. Owners see only agents they own, back up or are offered.</summary>
internal static class AgentAccess
{
    public static readonly string[] Readers = [Roles.Administrator, Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor];
    public static readonly string[] Exporters = [Roles.Administrator, Roles.SecurityOfficer, Roles.Auditor];
    public static readonly string[] Registrars = [Roles.SecurityOfficer, Roles.AgentOwner];

    public static Error NotFound(string id) => new("agent.not_found", $"No agent '{id}' that you can see.");

    public static bool SeesAll(Actor actor) =>
        actor.IsIn(Roles.SecurityOfficer) || actor.IsIn(Roles.Auditor) || actor.IsIn(Roles.Administrator);

    public static bool CanSee(Actor actor, Agent agent) =>
        SeesAll(actor) || agent.OwnerId == actor.Id || agent.BackupOwnerId == actor.Id || agent.PendingOwnerId == actor.Id;

    /// <summary>The agent if it exists and <paramref name="actor"/> may see it; otherwise <see cref="NotFound"/> (never saying which).</summary>
    public static async Task<Result<Agent>> FindVisibleAsync(WardenDbContext db, Actor actor, string agentId, CancellationToken ct)
    {
        if (!AgentId.TryParse(agentId, out var id))
            return NotFound(agentId);
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        return agent is not null && CanSee(actor, agent) ? agent : NotFound(agentId);
    }

    public static bool IsOfficer(Actor actor) => actor.IsIn(Roles.SecurityOfficer);

    public static bool OwnsOrOfficer(Actor actor, Agent agent) =>
        IsOfficer(actor) || (actor.IsIn(Roles.AgentOwner) && agent.OwnerId == actor.Id);

    /// <summary>
    /// Whether <paramref name="actor"/> changes <paramref name="agent"/> as its owner: every owner, and an
    /// officer on an agent they own. Widening such a change needs another officer.
    /// </summary>
    public static bool ActsAsOwner(Actor actor, Agent agent) => !IsOfficer(actor) || agent.OwnerId == actor.Id;

    /// <summary>An officer who does not own the agent: the person who may activate it or approve its owner's widening.</summary>
    public static bool Reviews(Actor actor, Agent agent) => IsOfficer(actor) && agent.OwnerId != actor.Id;

    public static AgentPermissions PermissionsFor(Actor actor, Agent agent)
    {
        var live = agent.Status != AgentStatus.Retired;
        var ownsOrOfficer = live && OwnsOrOfficer(actor, agent);
        var owns = live && actor.IsIn(Roles.AgentOwner) && agent.OwnerId == actor.Id;
        return new AgentPermissions(
            CanEdit: ownsOrOfficer,
            CanSuspend: ownsOrOfficer && agent.Status == AgentStatus.Active,
            CanResume: live && IsOfficer(actor) && agent.Status == AgentStatus.Suspended,
            CanRetire: ownsOrOfficer && agent.Status != AgentStatus.Contained,
            CanAttest: owns,
            CanTransfer: owns,
            CanAcceptTransfer: live && agent.PendingOwnerId == actor.Id,
            CanAssignOwner: live && IsOfficer(actor),
            CanActivate: agent.Status == AgentStatus.PendingReview && Reviews(actor, agent));
    }
}
