using Microsoft.EntityFrameworkCore;
using Warden.Domain.Autonomy;
using Warden.Features.Autonomy;
using Warden.Persistence;

namespace Warden.Features.RedTeam;

/// <summary>The latest drill of an agent, for its promotion criteria.</summary>
public sealed class RedTeamCheck : IRedTeamCheck
{
    public async Task<DrillResult?> LatestAsync(WardenDbContext db, string agentId, int level, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Set<RedTeamDrillRun>().AsNoTracking()
            .Where(d => d.AgentId == agentId && d.AtLevel >= level)
            .OrderByDescending(d => d.CompletedAt)
            .Select(d => new DrillResult(d.Id, d.CompletedAt, d.Score))
            .FirstOrDefaultAsync(ct);
    }
}
