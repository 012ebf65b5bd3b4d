using Microsoft.EntityFrameworkCore;
using Warden.Features.Decisions;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Domain.Metrics;
using Warden.Persistence;

namespace Warden.Features.Metrics;

/// <summary>A bucket of the period's chart: unsafe attempts, anomalies and trips that started within it.</summary>
public sealed record MetricsBucket(DateTimeOffset Start, int UnsafeAttempts, int Anomalies, int Trips);

/// <summary>
/// Reads what the governance metrics need for a period and the one before it. Decisions are counted
/// per agent and period in the database (one grouped scan over the range, never the rows); only the
/// times of unsafe attempts, and the few containment, approval, anomaly and evidence rows, are read.
/// </summary>
public sealed class GovernanceHistoryReader(IDbContextFactory<WardenDbContext> contexts, IEvidenceFacts evidence)
{
    // The primary reason leads the stored JSON array: these prefixes pick out refusals by the allowlist.
    private const string ToolPrefix = "[{\"code\":\"" + DecisionCodes.ToolNotAllowed + "\"";
    private const string OperationPrefix = "[{\"code\":\"" + DecisionCodes.OperationNotAllowed + "\"";
    private const string ResourcePrefix = "[{\"code\":\"" + DecisionCodes.ResourceOutOfScope + "\"";

    /// <summary>The refusals among <paramref name="decisions"/> whose primary reason is the allowlist (tool, operation or resource scope).</summary>
    public static IQueryable<DecisionRecord> OutsideAllowlist(IQueryable<DecisionRecord> decisions) =>
        decisions.Where(d => d.IsViolation && (EF.Functions.Like(d.Reasons, ToolPrefix + "%") || EF.Functions.Like(d.Reasons, OperationPrefix + "%") || EF.Functions.Like(d.Reasons, ResourcePrefix + "%")));

    public async Task<GovernanceHistory> ReadAsync(MetricPeriod period, CancellationToken ct)
    {
        var from = period.Previous.Start;
        var start = period.Start;
        var end = period.End;
        await using var db = contexts.CreateDbContext();
        var owners = (await db.Agents.AsNoTracking().Select(a => new { a.Id, a.OwnerId }).ToListAsync(ct))
            .ToDictionary(a => a.Id.Value, a => a.OwnerId.Value, StringComparer.Ordinal);

        var tallies = await db.Decisions.AsNoTracking()
            .Where(d => d.DecidedAt >= from && d.DecidedAt < end && d.ReviewOf == null)
            .GroupBy(d => new { d.AgentId, Current = d.DecidedAt >= start })
            .Select(g => new
            {
                g.Key.AgentId,
                g.Key.Current,
                Calls = g.LongCount(),
                Unsafe = g.LongCount(d => d.IsViolation),
                Outside = g.LongCount(d => d.IsViolation && (EF.Functions.Like(d.Reasons, ToolPrefix + "%") || EF.Functions.Like(d.Reasons, OperationPrefix + "%") || EF.Functions.Like(d.Reasons, ResourcePrefix + "%"))),
            })
            .ToListAsync(ct);
        var unsafeTimes = await db.Decisions.AsNoTracking()
            .Where(d => d.DecidedAt >= start && d.DecidedAt < end && d.IsViolation && d.ReviewOf == null)
            .Select(d => new { d.AgentId, d.DecidedAt })
            .ToListAsync(ct);

        var containments = (await db.Containments.AsNoTracking().Where(c => c.TrippedAt >= from && c.TrippedAt < end).ToListAsync(ct))
            .Select(c => new ContainmentFact(Target(c.Scope), c.Target, c.TrippedAt, c.TimeToRevocation ?? c.TimeToFirstRefusal, c.Source == TripSource.Drill))
            .ToList();
        var approvals = (await db.ApprovalRequests.AsNoTracking()
                .Where(a => a.OpenedAt < end && (a.ResolvedAt == null || a.ResolvedAt >= from))
                .Select(a => new { a.AgentId, a.OpenedAt, a.ResolvedAt, a.State })
                .ToListAsync(ct))
            .Select(a => new ApprovalFact(a.AgentId, a.OpenedAt, a.ResolvedAt, a.State is Warden.Domain.Approvals.ApprovalState.Approved or Warden.Domain.Approvals.ApprovalState.Denied))
            .ToList();
        var anomalies = await db.AnomalyAlerts.AsNoTracking()
            .Where(a => a.DetectedAt >= from && a.DetectedAt < end)
            .Select(a => new AnomalyFact(a.AgentId, a.DetectedAt, a.BeforeExecution))
            .ToListAsync(ct);
        var packs = await evidence.CompletedAsync(db, from, end, ct);

        return new GovernanceHistory(
            owners,
            tallies.Select(t => new DecisionTally(t.AgentId, t.Current, t.Calls, t.Outside, t.Unsafe)).ToList(),
            unsafeTimes.Select(u => new UnsafeAttempt(u.AgentId, u.DecidedAt)).ToList(),
            containments,
            approvals,
            anomalies,
            packs);
    }

    private static ContainmentTarget Target(ContainmentScope scope) => scope switch
    {
        ContainmentScope.Agent => ContainmentTarget.Agent,
        ContainmentScope.Owner => ContainmentTarget.Owner,
        ContainmentScope.Segment => ContainmentTarget.Segment,
        _ => ContainmentTarget.Global,
    };

    /// <summary>
    /// Splits the current period into calendar buckets (UTC hours for a day or less, otherwise UTC days, or
    /// runs of days so that there are at most 31), so that a bar labelled with a day counts that day.
    /// </summary>
    public static IReadOnlyList<MetricsBucket> Buckets(GovernanceHistory history, MetricScope scope, MetricPeriod period)
    {
        ArgumentNullException.ThrowIfNull(history);
        var hourly = period.Length <= TimeSpan.FromDays(1);
        var width = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(Math.Max(1, Math.Ceiling(period.Length.TotalDays / 31)));
        var start = period.Start.ToUniversalTime();
        var first = hourly
            ? new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(start.Year, start.Month, start.Day, 0, 0, 0, TimeSpan.Zero);
        var count = Math.Max(1, (int)Math.Ceiling((period.End - first) / width));
        int Index(DateTimeOffset at) => Math.Clamp((int)((at - first) / width), 0, count - 1);
        var unsafeCounts = new int[count];
        var anomalyCounts = new int[count];
        var tripCounts = new int[count];
        foreach (var attempt in history.UnsafeAttempts)
        {
            if (period.Contains(attempt.At) && Covers(history, scope, attempt.AgentId))
                unsafeCounts[Index(attempt.At)]++;
        }
        foreach (var anomaly in history.Anomalies.Where(a => period.Contains(a.DetectedAt) && Covers(history, scope, a.AgentId)))
            anomalyCounts[Index(anomaly.DetectedAt)]++;
        foreach (var trip in history.Containments.Where(c => period.Contains(c.TrippedAt)
                     && (scope.Kind == MetricScopeKind.Overall || (c.Scope == ContainmentTarget.Agent && Covers(history, scope, c.Target)) || (c.Scope == ContainmentTarget.Owner && scope.Kind == MetricScopeKind.Owner && c.Target == scope.Target))))
            tripCounts[Index(trip.TrippedAt)]++;
        return Enumerable.Range(0, count).Select(i => new MetricsBucket(first + width * i, unsafeCounts[i], anomalyCounts[i], tripCounts[i])).ToList();
    }

    private static bool Covers(GovernanceHistory history, MetricScope scope, string agentId) => scope.Kind switch
    {
        MetricScopeKind.Agent => agentId == scope.Target,
        MetricScopeKind.Owner => history.OwnerOfAgent.TryGetValue(agentId, out var owner) && owner == scope.Target,
        _ => true,
    };
}
