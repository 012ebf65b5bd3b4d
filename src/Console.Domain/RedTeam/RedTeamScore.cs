using System.Globalization;

namespace Warden.Domain.RedTeam;

/// <summary>One category's score in a drill: cases passed of cases run.</summary>
public sealed record CategoryScore(string Category, int Passed, int Total)
{
    /// <summary>The share passed in per cent; a category with no case scores 100 (nothing was missed).</summary>
    public double Percent => Total == 0 ? 100 : Math.Round(100.0 * Passed / Total, 1);

    public string Shown => $"{Passed}/{Total} ({Percent.ToString("0.#", CultureInfo.InvariantCulture)} %)";
}

/// <summary>Scores a drill per category and overall from each case's category and whether it passed.</summary>
public static class RedTeamScore
{
    public static IReadOnlyList<CategoryScore> PerCategory(IEnumerable<(string Category, bool Passed)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var list = outcomes.ToList();
        var known = RedTeamCategories.All.Select(c => Score(c, list));
        var other = list.Select(o => o.Category).Distinct(StringComparer.Ordinal).Where(c => !RedTeamCategories.IsKnown(c)).Order(StringComparer.Ordinal).Select(c => Score(c, list));
        return [.. known.Concat(other).Where(s => s.Total > 0)];
    }

    /// <summary>The overall share passed in per cent; a drill of no case scores 0, so it never passes a threshold.</summary>
    public static double Overall(IEnumerable<(string Category, bool Passed)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var list = outcomes.ToList();
        return list.Count == 0 ? 0 : Math.Round(100.0 * list.Count(o => o.Passed) / list.Count, 1);
    }

    private static CategoryScore Score(string category, List<(string Category, bool Passed)> list)
    {
        var of = list.Where(o => o.Category == category).ToList();
        return new CategoryScore(category, of.Count(o => o.Passed), of.Count);
    }
}
