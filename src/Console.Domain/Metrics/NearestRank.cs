namespace Warden.Domain.Metrics;

/// <summary>Nearest-rank percentiles, the one definition every figure of the console uses.</summary>
public static class NearestRank
{
    /// <summary>The <paramref name="p"/> percentile (0 to 1) of <paramref name="sorted"/>, or null when it is empty.</summary>
    public static T? Percentile<T>(IReadOnlyList<T> sorted, double p)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
            return null;
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
