using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Decisions;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// Per-agent counters the engine decides against: requests in the current minute and the records and
/// amount allowed today (UTC). Each agent's decide step runs under that agent's lock, so two
/// concurrent requests cannot both take the last unit of a limit. Today's totals are read from the
/// stored decisions the first time an agent is seen each day, so a restart loses nothing.
/// </summary>
public sealed class UsageMeter(IDbContextFactory<WardenDbContext> contexts)
{
    private readonly ConcurrentDictionary<string, Counters> _agents = new(StringComparer.Ordinal);

    public async Task<Decision> DecideAsync(string agentId, DateTimeOffset now, RequestImpact impact, Func<UsageView, Decision> decide, CancellationToken cancellationToken)
    {
        var counters = await CountersForTodayAsync(agentId, now, cancellationToken);
        lock (counters)
        {
            var minute = now.ToUnixTimeSeconds() / 60;
            // Only forward: a request that read the clock before a slower one must not reset the window.
            if (minute > counters.Minute)
                counters.StartMinute(minute);
            var decision = decide(new UsageView(counters.RequestsThisMinute, counters.RecordsToday, counters.AmountToday));
            counters.RequestsThisMinute++;
            if (decision.Outcome == DecisionOutcome.Allow)
            {
                counters.RecordsToday += impact.Records;
                counters.AmountToday += impact.Amount;
            }
            return decision;
        }
    }

    /// <summary>
    /// Counts an action that officers approved (it was held, so it was not counted when decided) against
    /// today's totals, if it was decided today.
    /// </summary>
    public void AddApproved(string agentId, DateTimeOffset decidedAt, int records, decimal amount)
    {
        if (!_agents.TryGetValue(agentId, out var counters))
            return;
        lock (counters)
        {
            // A day not loaded yet is read from the stored decisions, where the approval is already committed.
            if (counters.Day != DateOnly.FromDateTime(decidedAt.UtcDateTime))
                return;
            counters.RecordsToday += records;
            counters.AmountToday += amount;
        }
    }

    /// <summary>The agent's usage now, loading today's totals from the stored decisions if the meter has not seen it today.</summary>
    public async Task<UsageView> CurrentAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counters = await CountersForTodayAsync(agentId, now, cancellationToken);
        lock (counters)
        {
            var sameMinute = counters.Minute == now.ToUnixTimeSeconds() / 60;
            return new UsageView(sameMinute ? counters.RequestsThisMinute : 0, counters.RecordsToday, counters.AmountToday);
        }
    }

    private async Task<Counters> CountersForTodayAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counters = _agents.GetOrAdd(agentId, _ => new Counters());
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (counters.Day < day)
        {
            var (records, amount) = await AllowedTodayAsync(agentId, day, cancellationToken);
            lock (counters)
                counters.StartDay(day, records, amount);
        }
        return counters;
    }

    private async Task<(long Records, decimal Amount)> AllowedTodayAsync(string agentId, DateOnly day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = contexts.CreateDbContext();
        var today = db.Decisions.AsNoTracking().Where(d =>
            d.AgentId == agentId && d.DecidedAt >= start
            && (d.State == DecisionState.Allowed || d.State == DecisionState.Approved || d.State == DecisionState.Completed));
        var records = await today.SumAsync(d => (long)d.Records, cancellationToken);
        // SQLite sums decimals as text; amounts are summed here instead.
        var amounts = await today.Where(d => d.Amount != 0).Select(d => d.Amount).ToListAsync(cancellationToken);
        return (records, amounts.Sum());
    }

    private sealed class Counters
    {
        public DateOnly Day { get; private set; }
        public long Minute { get; private set; } = -1;
        public int RequestsThisMinute { get; set; }
        public long RecordsToday { get; set; }
        public decimal AmountToday { get; set; }

        public void StartDay(DateOnly day, long records, decimal amount)
        {
            if (Day >= day)
                return;
            Day = day;
            RecordsToday = records;
            AmountToday = amount;
        }

        public void StartMinute(long minute)
        {
            Minute = minute;
            RequestsThisMinute = 0;
        }
    }
}
