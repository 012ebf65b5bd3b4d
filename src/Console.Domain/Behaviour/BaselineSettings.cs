namespace Warden.Domain.Behaviour;

/// <summary>The bounds of the detectors and how fast the baselines forget. Defaults are documented in ADR 0013.</summary>
public sealed class BaselineSettings
{
    /// <summary>Minutes the request-rate baseline averages over (an exponentially weighted mean and variance per minute).</summary>
    public int RateHorizonMinutes { get; set; } = 1440;

    /// <summary>Minutes of history before a rate spike can be called.</summary>
    public int RateWarmupMinutes { get; set; } = 60;

    /// <summary>A minute never counts as a spike below this many requests.</summary>
    public int RateSpikeMinimum { get; set; } = 20;

    /// <summary>Standard deviations above the mean that make a spike.</summary>
    public double RateSpikeSigmas { get; set; } = 6;

    /// <summary>And at least this multiple of the mean.</summary>
    public double RateSpikeFactor { get; set; } = 5;

    /// <summary>Decisions seen before a first use of a tool is called an anomaly.</summary>
    public int NewToolWarmup { get; set; } = 100;

    /// <summary>Decisions, and days since the first, before an hour of the day can be called unusual.</summary>
    public int HoursWarmup { get; set; } = 500;

    public int HoursWarmupDays { get; set; } = 3;

    /// <summary>An hour of the day (UTC) holding less than this share of the agent's history is unusual.</summary>
    public double UnusualHourShare { get; set; } = 0.005;

    /// <summary>The recent window for denial bursts, in decisions (at most 64).</summary>
    public int DenialWindow { get; set; } = 20;

    /// <summary>Denials within the window that can make a burst.</summary>
    public int DenialBurstMinimum { get; set; } = 10;

    /// <summary>How far the recent deny ratio must exceed the long-run one.</summary>
    public double DenialBurstMargin { get; set; } = 0.5;

    /// <summary>Decisions seen before a denial burst can be called.</summary>
    public int DenialWarmup { get; set; } = 50;

    /// <summary>Decisions the long-run deny ratio averages over.</summary>
    public int DenyRatioHorizon { get; set; } = 500;

    /// <summary>After an alert, the same kind stays quiet for the agent this long (the new tool of each alert is new only once anyway).</summary>
    public int CooldownMinutes { get; set; } = 15;

    /// <summary>Distinct tools and resource areas remembered per agent; beyond, new ones are counted but not named.</summary>
    public int MaxDistinct { get; set; } = 256;

    public static BaselineSettings Default { get; } = new();
}
