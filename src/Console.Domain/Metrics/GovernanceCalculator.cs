namespace Warden.Domain.Metrics;

/// <summary>
/// Computes the governance metrics of one scope from a history. Pure: the same history and period
/// give the same figures, so each rule is tested against hand-built histories.
/// </summary>
public static class GovernanceCalculator
{
    public static GovernanceFigures Compute(GovernanceHistory history, MetricScope scope, MetricPeriod period)
    {
        ArgumentNullException.ThrowIfNull(history);
        var current = Measure(history, scope, period, current: true);
        var previous = Measure(history, scope, period.Previous, current: false);
        MetricValue Pair(Func<Snapshot, double?> pick) => new(pick(current), pick(previous));
        return new GovernanceFigures(
            scope,
            period,
            Pair(s => s.TimeToContainP50),
            Pair(s => s.TimeToContainP95),
            Pair(s => s.Trips),
            Pair(s => s.MeanTimeBetweenUnsafe),
            Pair(s => s.Unsafe),
            Pair(s => s.ToolCalls),
            Pair(s => s.WithinAllowlist),
            Pair(s => s.Anomalies),
            Pair(s => s.Caught),
            Pair(s => s.CaughtShare),
            Pair(s => s.ApprovalP50),
            Pair(s => s.ApprovalP95),
            Pair(s => s.ApprovalsOpened),
            Pair(s => s.MeanQueue),
            Pair(s => s.PeakQueue),
            Pair(s => s.Completeness),
            Pair(s => s.Assembly),
            Pair(s => s.Packs));
    }

    private sealed record Snapshot(
        double? TimeToContainP50, double? TimeToContainP95, double Trips, double? MeanTimeBetweenUnsafe, double Unsafe,
        double ToolCalls, double? WithinAllowlist, double Anomalies, double Caught, double? CaughtShare,
        double? ApprovalP50, double? ApprovalP95, double ApprovalsOpened, double MeanQueue, double PeakQueue,
        double? Completeness, double? Assembly, double Packs);

    private static Snapshot Measure(GovernanceHistory history, MetricScope scope, MetricPeriod period, bool current)
    {
        bool Covers(string agentId) => scope.Kind switch
        {
            MetricScopeKind.Agent => agentId == scope.Target,
            MetricScopeKind.Owner => history.OwnerOfAgent.TryGetValue(agentId, out var owner) && owner == scope.Target,
            _ => true,
        };

        var trips = history.Containments.Where(c => period.Contains(c.TrippedAt) && Concerns(history, scope, c.Scope, c.Target)).ToList();
        var contain = trips.Where(c => c.TimeToContain is not null).Select(c => c.TimeToContain!.Value.TotalSeconds).Order().ToList();

        var tallies = history.Decisions.Where(d => d.InCurrentPeriod == current && Covers(d.AgentId)).ToList();
        var calls = tallies.Sum(t => t.ToolCalls);
        var outside = tallies.Sum(t => t.OutsideAllowlist);
        var unsafeCount = tallies.Sum(t => t.UnsafeAttempts);

        var anomalies = history.Anomalies.Where(a => period.Contains(a.DetectedAt) && Covers(a.AgentId)).ToList();
        var caught = anomalies.Count(a => a.CaughtBeforeExecution);

        var approvals = history.Approvals.Where(a => Covers(a.AgentId)).ToList();
        var latencies = approvals.Where(a => a.Decided && a.ResolvedAt is { } r && period.Contains(r))
            .Select(a => (a.ResolvedAt!.Value - a.OpenedAt).TotalSeconds).Order().ToList();
        var (meanQueue, peakQueue) = QueueLoad(approvals, period);

        var packs = history.Evidence.Where(e => period.Contains(e.CompletedAt) && Concerns(history, scope, e.Scope, e.Target)).ToList();

        return new Snapshot(
            NearestRank.Percentile(contain, 0.50),
            NearestRank.Percentile(contain, 0.95),
            trips.Count,
            unsafeCount == 0 ? null : period.Length.TotalSeconds / unsafeCount,
            unsafeCount,
            calls,
            calls == 0 ? null : (calls - outside) / (double)calls,
            anomalies.Count,
            caught,
            anomalies.Count == 0 ? null : caught / (double)anomalies.Count,
            NearestRank.Percentile(latencies, 0.50),
            NearestRank.Percentile(latencies, 0.95),
            approvals.Count(a => period.Contains(a.OpenedAt)),
            meanQueue,
            peakQueue,
            packs.Count == 0 ? null : packs.Average(p => p.CompletenessPercent / 100.0),
            packs.Count == 0 ? null : packs.Average(p => p.AssemblyTime.TotalSeconds),
            packs.Count);
    }

    /// <summary>
    /// Whether a trip or pack of this scope counts for the metric scope: agent scopes count for that
    /// agent and its owner; owner scopes for that owner; segment and global ones only overall.
    /// </summary>
    private static bool Concerns(GovernanceHistory history, MetricScope scope, ContainmentTarget? kind, string? target) => scope.Kind switch
    {
        MetricScopeKind.Overall => true,
        MetricScopeKind.Agent => kind == ContainmentTarget.Agent && target == scope.Target,
        MetricScopeKind.Owner => (kind == ContainmentTarget.Owner && target == scope.Target)
            || (kind == ContainmentTarget.Agent && target is not null && history.OwnerOfAgent.TryGetValue(target, out var owner) && owner == scope.Target),
        _ => false,
    };

    /// <summary>The time-weighted mean and the peak number of requests waiting in the queue during the period.</summary>
    public static (double Mean, double Peak) QueueLoad(IReadOnlyList<ApprovalFact> approvals, MetricPeriod period)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        var changes = new List<(DateTimeOffset At, int Delta)>();
        var depth = 0;
        foreach (var a in approvals)
        {
            var closed = a.ResolvedAt ?? DateTimeOffset.MaxValue;
            if (a.OpenedAt >= period.End || closed <= period.Start)
                continue;
            if (a.OpenedAt <= period.Start)
                depth++;
            else
                changes.Add((a.OpenedAt, +1));
            if (closed < period.End)
                changes.Add((closed, -1));
        }
        // At one instant, closings go first: a request resolved as another opens never overlaps it.
        changes.Sort((x, y) => x.At != y.At ? x.At.CompareTo(y.At) : x.Delta.CompareTo(y.Delta));
        double area = 0;
        var peak = depth;
        var at = period.Start;
        foreach (var (when, delta) in changes)
        {
            area += depth * (when - at).TotalSeconds;
            at = when;
            depth += delta;
            peak = Math.Max(peak, depth);
        }
        area += depth * (period.End - at).TotalSeconds;
        return (period.Length.TotalSeconds <= 0 ? 0 : area / period.Length.TotalSeconds, peak);
    }
}
