using Microsoft.EntityFrameworkCore;
using Warden.Features.Autonomy;
using Warden.Persistence;

namespace Warden.Features.Behaviour;

/// <summary>The explanations of the anomaly alerts raised on decisions, for the violations list.</summary>
public sealed class AnomalyExplanations : IAnomalyExplanations
{
    public async Task<IReadOnlyDictionary<string, string>> ForDecisionsAsync(WardenDbContext db, IReadOnlyCollection<string> decisionIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await db.AnomalyAlerts.AsNoTracking().Where(a => decisionIds.Contains(a.DecisionId)).Select(a => new { a.DecisionId, a.Explanation }).ToListAsync(ct))
            .GroupBy(a => a.DecisionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(a => a.Explanation)), StringComparer.Ordinal);
    }
}
