namespace Warden.Tests.Architecture;

/// <summary>Features by rank, lowest first: a feature may use only features of a lower rank, never its own or a higher one.</summary>
public sealed class FeatureRanks
{
    private readonly Dictionary<string, int> _rankOf = new(StringComparer.Ordinal);

    public FeatureRanks(string[][] table)
    {
        ArgumentNullException.ThrowIfNull(table);
        for (var rank = 0; rank < table.Length; rank++)
        {
            foreach (var feature in table[rank])
                _rankOf.Add(feature, rank);
        }
    }

    public IReadOnlyCollection<string> Features => _rankOf.Keys;

    /// <summary>Uses of a feature of the same or a higher rank; features without a rank are left to <see cref="Unranked"/>.</summary>
    public IReadOnlyList<FeatureDependency> BackEdges(FeatureGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return [.. graph.Dependencies.Where(d => _rankOf.TryGetValue(d.From, out var from) && _rankOf.TryGetValue(d.To, out var to) && to >= from)];
    }

    public IReadOnlyList<string> Unranked(FeatureGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return [.. graph.Features.Where(f => !_rankOf.ContainsKey(f)).Order(StringComparer.Ordinal)];
    }
}
