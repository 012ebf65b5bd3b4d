using System.ComponentModel.DataAnnotations;
using Warden.Domain.Behaviour;

namespace Warden.Features.Behaviour;

/// <summary>Baselines, detectors and what an anomaly leads to. See ADR 0013.</summary>
public sealed class BehaviourOptions
{
    public const string SectionName = "Behaviour";

    /// <summary>False stops baselines and detection altogether (decisions are unaffected either way).</summary>
    public bool Enabled { get; set; } = true;

    public BaselineSettings Baselines { get; set; } = new();

    /// <summary>Committed decisions waiting for the baselines; beyond this the newest are dropped and counted, never waited for.</summary>
    [Range(100, 10_000_000)]
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>How often changed baselines are written to the database.</summary>
    [Range(1, 3600)]
    public int SnapshotSeconds { get; set; } = 30;

    /// <summary>
    /// An anomaly scoring at least this trips the agent's circuit breaker (an agent containment, which
    /// also demotes it). Null never trips. The default, 90, is reached only far beyond a bound: a rate
    /// sixteen times over it, or a window of nearly nothing but denials.
    /// </summary>
    [Range(50, 100)]
    public int? TripBreakerAtScore { get; set; } = 90;

    /// <summary>An anomaly scoring at least this is a high-severity violation whatever the configured severity of <c>anomaly</c>.</summary>
    [Range(50, 100)]
    public int HighSeverityAtScore { get; set; } = 80;
}
