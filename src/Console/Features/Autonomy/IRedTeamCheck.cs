using Warden.Domain.Autonomy;
using Warden.Persistence;

namespace Warden.Features.Autonomy;

/// <summary>What the "latest red-team drill passed" criterion asks of the red-team feature, which provides it.</summary>
public interface IRedTeamCheck
{
    /// <summary>The agent's latest drill run at <paramref name="level"/> or above; null when there is none.</summary>
    Task<DrillResult?> LatestAsync(WardenDbContext db, string agentId, int level, CancellationToken ct);
}
