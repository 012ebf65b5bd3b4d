using System.Globalization;
using Warden.Domain.Metrics;

namespace Warden.Features.Metrics;

/// <summary>How each figure reads on the dashboard: a value, a trend against the previous period, and whether the trend is good.</summary>
public static class MetricFormat
{
    public static string Duration(double? seconds) => seconds switch
    {
        null => "—",
        < 1 => $"{(seconds.Value * 1000).ToString("0", CultureInfo.InvariantCulture)} ms",
        < 120 => $"{seconds.Value.ToString("0.#", CultureInfo.InvariantCulture)} s",
        < 7200 => $"{(seconds.Value / 60).ToString("0.#", CultureInfo.InvariantCulture)} min",
        < 172_800 => $"{(seconds.Value / 3600).ToString("0.#", CultureInfo.InvariantCulture)} h",
        _ => $"{(seconds.Value / 86_400).ToString("0.#", CultureInfo.InvariantCulture)} d",
    };

    public static string Share(double? share) => share is { } s ? s.ToString("0.0%", CultureInfo.InvariantCulture) : "—";

    public static string Count(double? count) => count is { } c ? c.ToString("#,0.##", CultureInfo.InvariantCulture) : "—";

    /// <summary>"▲ 12 % vs previous" style text; null when either period has no figure.</summary>
    public static string? Trend(MetricValue value, Func<double?, string> format)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(format);
        if (value.Previous is null && value.Current is null)
            return null;
        if (value.Change is not { } change)
            return $"previous period: {format(value.Previous)}";
        if (Math.Abs(change) < 1e-9)
            return "= previous period";
        return $"{(change > 0 ? "▲" : "▼")} from {format(value.Previous)}";
    }

    /// <summary>
    /// Whether the change is good, given whether higher is better; null (neutral) when there is no change
    /// or when it starts from zero, since a first figure after an empty period says nothing about a trend.
    /// </summary>
    public static bool? Better(MetricValue value, bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Previous is { } previous && Math.Abs(previous) < 1e-9)
            return null;
        return value.Change is { } change && Math.Abs(change) > 1e-9 ? (change > 0) == higherIsBetter : null;
    }

    /// <summary>
    /// The mean time between unsafe attempts, or what there is instead: with none or one attempt in the
    /// period there is no time between two of them, and the figure would only be the period's length.
    /// </summary>
    public static string UnsafeSpacing(GovernanceFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return figures.UnsafeAttempts.Current switch
        {
            null or 0 => "no unsafe attempt",
            1 => "1 unsafe attempt",
            _ => Duration(figures.MeanTimeBetweenUnsafeAttempts.Current),
        };
    }

    /// <summary>The mean time between unsafe attempts against the previous period, only when both periods had two or more.</summary>
    public static MetricValue UnsafeSpacingValue(GovernanceFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        static bool Measurable(double? attempts) => attempts is >= 2;
        var mean = figures.MeanTimeBetweenUnsafeAttempts;
        return new MetricValue(
            Measurable(figures.UnsafeAttempts.Current) ? mean.Current : null,
            Measurable(figures.UnsafeAttempts.Previous) ? mean.Previous : null);
    }
}
