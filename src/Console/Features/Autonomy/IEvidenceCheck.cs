using Warden.Domain.Agents;
using Warden.Persistence;

namespace Warden.Features.Autonomy;

/// <summary>The newest completed evidence pack whose scope covers an agent, and whether it verifies.</summary>
public sealed record PackCheck(string PackId, DateTimeOffset PeriodEnd, bool Verified);

/// <summary>
/// What the "last evidence pack verified" criterion asks of the evidence feature, which provides it:
/// the latest pack covering the agent, verified on its stored files.
/// </summary>
public interface IEvidenceCheck
{
    Task<PackCheck?> LatestAsync(WardenDbContext db, Agent agent, CancellationToken ct);
}
