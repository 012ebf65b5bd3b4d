using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Warden.Domain.Metrics;
using Warden.Features.Behaviour;

namespace Warden.Features.Metrics;

/// <summary>
/// The governance figures as OpenTelemetry instruments. Every instrument is an observable gauge
/// reading the last computed snapshot, so a scrape costs no query; <see cref="MetricsRefresher"/>
/// recomputes the snapshot on its own schedule.
/// </summary>
public sealed class GovernanceMeter : IDisposable
{
    public const string MeterName = "Warden.Governance";

    private readonly Meter _meter = new(MeterName, "1.0");
    private volatile GovernanceFigures? _current;

    public GovernanceMeter(BehaviourMonitor behaviour, IOptions<MetricsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        var period = new KeyValuePair<string, object?>("period_days", options.Value.ExportPeriodDays);
        void Gauge(string name, string unit, string description, Func<GovernanceFigures, double?> pick) =>
            _meter.CreateObservableGauge(name, () => Read(pick, period), unit, description);

        Gauge("warden.containment.time_to_contain.p50", "s", "Median time from a trip (or drill) committed to the agents contained.", f => f.TimeToContainP50.Current);
        Gauge("warden.containment.time_to_contain.p95", "s", "95th percentile time to contain across trips and drills.", f => f.TimeToContainP95.Current);
        Gauge("warden.containment.trips", "{trip}", "Trips and drills in the period.", f => f.Trips.Current);
        Gauge("warden.unsafe_attempts.mean_time_between", "s", "The period divided by the unsafe attempts (violations) in it.", f => f.MeanTimeBetweenUnsafeAttempts.Current);
        Gauge("warden.unsafe_attempts", "{attempt}", "Unsafe attempts (violations) in the period.", f => f.UnsafeAttempts.Current);
        Gauge("warden.tool_calls.within_allowlist.ratio", "1", "Share of tool calls not refused by the tool, operation or resource allowlist.", f => f.WithinAllowlistShare.Current);
        Gauge("warden.anomalies", "{anomaly}", "Anomaly alerts in the period.", f => f.Anomalies.Current);
        Gauge("warden.anomalies.caught_before_execution.ratio", "1", "Share of anomalies raised before the anomalous request ran.", f => f.AnomaliesCaughtShare.Current);
        Gauge("warden.approvals.latency.p50", "s", "Median time from an approval opened to an officer's decision.", f => f.ApprovalLatencyP50.Current);
        Gauge("warden.approvals.latency.p95", "s", "95th percentile approval latency.", f => f.ApprovalLatencyP95.Current);
        Gauge("warden.approvals.queue_depth.mean", "{request}", "Time-weighted mean number of approvals waiting.", f => f.MeanQueueDepth.Current);
        Gauge("warden.approvals.queue_depth.peak", "{request}", "Most approvals waiting at once.", f => f.PeakQueueDepth.Current);
        Gauge("warden.evidence.completeness.ratio", "1", "Mean completeness of the evidence packs completed in the period.", f => f.EvidenceCompleteness.Current);
        Gauge("warden.evidence.assembly_time", "s", "Mean time to assemble an evidence pack.", f => f.EvidenceAssemblySeconds.Current);
        _meter.CreateObservableGauge("warden.behaviour.dropped", () => behaviour.Dropped, "{decision}", "Decisions the baselines skipped because their queue was full.");
    }

    public GovernanceFigures? Current => _current;

    public void Publish(GovernanceFigures figures) => _current = figures;

    private IEnumerable<Measurement<double>> Read(Func<GovernanceFigures, double?> pick, KeyValuePair<string, object?> period)
    {
        if (_current is { } figures && pick(figures) is { } value)
            yield return new Measurement<double>(value, period);
    }

    public void Dispose() => _meter.Dispose();
}
