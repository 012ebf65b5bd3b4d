using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Containment;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Containment;

/// <summary>What a containment's target names, and the agents it covers.</summary>
internal static class ContainmentTargets
{
    public static async Task<string?> LabelAsync(WardenDbContext db, ContainmentScope scope, string target, CancellationToken cancellationToken)
    {
        switch (scope)
        {
            case ContainmentScope.Global:
                return "all agents";
            case ContainmentScope.Agent:
                if (!AgentId.TryParse(target, out var id))
                    return null;
                return await db.Agents.AsNoTracking().Where(a => a.Id == id).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken);
            case ContainmentScope.Owner:
                return await db.Users.AsNoTracking().Where(u => u.Id == target).Select(u => u.DisplayName ?? u.Email).SingleOrDefaultAsync(cancellationToken);
            case ContainmentScope.Segment:
                var segment = target.ToLowerInvariant();
                return await db.Agents.AsNoTracking().AnyAsync(a => a.Segment == segment, cancellationToken) ? segment : null;
            default:
                return null;
        }
    }

    public static Task<List<Agent>> CoveredAgentsAsync(WardenDbContext db, Trip containment, CancellationToken cancellationToken)
    {
        var query = db.Agents.Where(a => a.Status != AgentStatus.Retired);
        switch (containment.Scope)
        {
            case ContainmentScope.Agent:
                var id = AgentId.Parse(containment.Target);
                query = query.Where(a => a.Id == id);
                break;
            case ContainmentScope.Owner:
                var owner = new Warden.Domain.People.UserId(containment.Target);
                query = query.Where(a => a.OwnerId == owner);
                break;
            case ContainmentScope.Segment:
                var segment = containment.Target.ToLowerInvariant();
                query = query.Where(a => a.Segment == segment);
                break;
        }
        return query.ToListAsync(cancellationToken);
    }

    public static string NewId(DateTimeOffset now) => Trip.IdPrefix + AgentId.New(now).Value[AgentId.Prefix.Length..];
}
