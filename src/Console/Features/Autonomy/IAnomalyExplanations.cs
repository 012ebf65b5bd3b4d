using Warden.Persistence;

namespace Warden.Features.Autonomy;

/// <summary>
/// Why decisions were anomalies, in the words of the alerts they raised (joined when one raised
/// several); a decision without an alert is absent. The behaviour feature provides it.
/// </summary>
public interface IAnomalyExplanations
{
    Task<IReadOnlyDictionary<string, string>> ForDecisionsAsync(WardenDbContext db, IReadOnlyCollection<string> decisionIds, CancellationToken ct);
}
