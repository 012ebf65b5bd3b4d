namespace Warden.Domain.Metrics;

/// <summary>
/// The governance metrics of one scope for a period, each against the previous period. Times are in
/// seconds and shares are fractions from 0 to 1.
/// </summary>
public sealed record GovernanceFigures(
    MetricScope Scope,
    MetricPeriod Period,
    MetricValue TimeToContainP50,
    MetricValue TimeToContainP95,
    MetricValue Trips,
    MetricValue MeanTimeBetweenUnsafeAttempts,
    MetricValue UnsafeAttempts,
    MetricValue ToolCalls,
    MetricValue WithinAllowlistShare,
    MetricValue Anomalies,
    MetricValue AnomaliesCaughtBeforeExecution,
    MetricValue AnomaliesCaughtShare,
    MetricValue ApprovalLatencyP50,
    MetricValue ApprovalLatencyP95,
    MetricValue ApprovalsOpened,
    MetricValue MeanQueueDepth,
    MetricValue PeakQueueDepth,
    MetricValue EvidenceCompleteness,
    MetricValue EvidenceAssemblySeconds,
    MetricValue EvidencePacks);
