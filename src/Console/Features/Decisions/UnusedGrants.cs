using Microsoft.EntityFrameworkCore;
using Warden.Domain.Containment;
using Warden.Features.Containment;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>A trip voids the unused grants of the agents it contains, in the trip's transaction.</summary>
public sealed class UnusedGrants : IUnusedGrants
{
    public async Task<IReadOnlyList<string>> VoidAsync(
        WardenDbContext db, ContainmentScope scope, IReadOnlyCollection<string> agentIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Decisions.Where(d => (d.State == DecisionState.Allowed || d.State == DecisionState.Approved) && d.GrantUsedAt == null
                                            && ((d.GrantExpiresAt ?? d.ExpiresAt) > now));
        if (scope != ContainmentScope.Global)
            query = query.Where(d => agentIds.Contains(d.AgentId));
        var grants = await query.ToListAsync(cancellationToken);
        foreach (var grant in grants)
        {
            grant.State = DecisionState.Cancelled;
            // A concurrent outcome report that read the old version now fails instead of completing the grant.
            db.Entry(grant).Property<int>("Version").CurrentValue++;
        }
        return [.. grants.Select(g => g.Id)];
    }
}
