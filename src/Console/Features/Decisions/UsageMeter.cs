using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Warden.Domain.Decisions;
using Warden.Infrastructure.Cluster;
using Warden.Infrastructure.Events;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// Per-agent counters the engine decides against: requests in the current minute and the records and
/// amount allowed today (UTC). Each agent's decide step runs under that agent's lock, so two
/// concurrent requests cannot both take the last unit of a limit. Today's totals are read from the
/// stored decisions the first time an agent is seen each day, so a restart loses nothing.
/// <para>
/// When instances share PostgreSQL the counters are the agent's row in <c>AgentUsage</c> instead: the
/// decide step holds that row's lock in a transaction of its own, so requests for one agent are
/// counted one at a time whatever instance they reach, and a limit of N a minute allows at most N.
/// </para>
/// </summary>
public sealed class UsageMeter(IDbContextFactory<WardenDbContext> contexts, StateEpoch state) : IEventHandler<OutcomeViolated>
{
    private readonly ConcurrentDictionary<string, Counters> _agents = new(StringComparer.Ordinal);

    public async Task<Decision> DecideAsync(string agentId, DateTimeOffset now, RequestImpact impact, Func<UsageView, Decision> decide, CancellationToken cancellationToken)
    {
        if (state.IsShared)
            return await DecideSharedAsync(agentId, now, impact, decide, cancellationToken);
        var counters = await CountersForTodayAsync(agentId, now, cancellationToken);
        lock (counters)
        {
            var minute = now.ToUnixTimeSeconds() / 60;
            // Only forward: a request that read the clock before a slower one must not reset the window.
            if (minute > counters.Minute)
                counters.StartMinute(minute);
            var decision = decide(new UsageView(counters.RequestsThisMinute, counters.RecordsToday, counters.AmountToday));
            if (!Counts(decision))
                return decision;
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
    /// Counts against today's totals, if the action was decided today, what was not counted when it was
    /// decided: an action officers approved (it was held), or what an outcome reported beyond the
    /// request's declaration.
    /// </summary>
    public async Task CountLaterAsync(string agentId, DateTimeOffset decidedAt, int records, decimal amount, CancellationToken cancellationToken)
    {
        if (state.IsShared)
        {
            // Today's totals are read again from the stored decisions, where the approval or the outcome is committed.
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"""UPDATE "AgentUsage" SET "Records" = -1 WHERE "AgentId" = {agentId}""", cancellationToken);
            return;
        }
        if (!_agents.TryGetValue(agentId, out var counters))
            return;
        lock (counters)
        {
            // A day not loaded yet is read from the stored decisions, where the approval or outcome is already committed.
            if (counters.Day != DateOnly.FromDateTime(decidedAt.UtcDateTime))
                return;
            counters.RecordsToday += records;
            counters.AmountToday += amount;
        }
    }

    /// <summary>What an outcome reported beyond its request's declaration counts toward the day it was decided.</summary>
    public Task HandleAsync(OutcomeViolated happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        return happened.ExtraRecords > 0 || happened.ExtraAmount > 0
            ? CountLaterAsync(happened.AgentId, happened.DecidedAt, happened.ExtraRecords, happened.ExtraAmount, cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>
    /// Takes back what <see cref="DecideAsync"/> counted for a decision that was then not recorded (it
    /// is decided again, or refused because it could not be written): one request is one request, and
    /// an allow that never took effect spends nothing of today's limits.
    /// </summary>
    public async Task GiveBackAsync(string agentId, DateTimeOffset decidedAt, RequestImpact impact, bool allowed)
    {
        var minute = decidedAt.ToUnixTimeSeconds() / 60;
        var day = DateOnly.FromDateTime(decidedAt.UtcDateTime);
        var (records, amount) = allowed ? ((long)impact.Records, impact.Amount) : (0L, 0m);
        if (state.IsShared)
        {
            await GiveBackSharedAsync(agentId, minute, day, records, amount);
            return;
        }
        if (!_agents.TryGetValue(agentId, out var counters))
            return;
        lock (counters)
        {
            if (counters.Minute == minute && counters.RequestsThisMinute > 0)
                counters.RequestsThisMinute--;
            if (counters.Day == day)
            {
                counters.RecordsToday = Math.Max(0, counters.RecordsToday - records);
                counters.AmountToday = Math.Max(0, counters.AmountToday - amount);
            }
        }
    }

    /// <summary>
    /// The give-back on a shared database. Its commit does not wait for the flush either (ADR 0037): the
    /// request it belongs to is answered after it, and a crash of the database that lost it would leave
    /// the agent counted once more than it asked, never less.
    /// </summary>
    private async Task GiveBackSharedAsync(string agentId, long minute, DateOnly day, long records, decimal amount)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.Database.OpenConnectionAsync(CancellationToken.None);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        // A negative "Records" means today's totals are read again from the stored decisions: left as it is.
        await using (var give = new NpgsqlCommand(
            """
            SET LOCAL synchronous_commit TO OFF;
            UPDATE "AgentUsage" SET
              "Requests" = CASE WHEN "Minute" = @minute AND "Requests" > 0 THEN "Requests" - 1 ELSE "Requests" END,
              "Records" = CASE WHEN "Day" = @day AND "Records" >= @records THEN "Records" - @records ELSE "Records" END,
              "Amount" = CASE WHEN "Day" = @day AND "Records" >= 0 AND "Amount" >= @amount THEN "Amount" - @amount ELSE "Amount" END
            WHERE "AgentId" = @agent
            """, connection, transaction))
        {
            give.Parameters.AddWithValue("agent", agentId);
            give.Parameters.AddWithValue("minute", minute);
            give.Parameters.AddWithValue("day", day);
            give.Parameters.AddWithValue("records", records);
            give.Parameters.AddWithValue("amount", amount);
            await give.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>The agent's usage now, loading today's totals from the stored decisions if the meter has not seen it today.</summary>
    public async Task<UsageView> CurrentAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (state.IsShared)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var row = await db.AgentUsage.AsNoTracking().SingleOrDefaultAsync(u => u.AgentId == agentId, cancellationToken);
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            var (records, amount) = row is { Records: >= 0 } && row.Day == day ? (row.Records, row.Amount) : await AllowedTodayAsync(agentId, day, cancellationToken);
            return new UsageView(row is not null && row.Minute == now.ToUnixTimeSeconds() / 60 ? row.Requests : 0, records, amount);
        }
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

    private async Task<Decision> DecideSharedAsync(string agentId, DateTimeOffset now, RequestImpact impact, Func<UsageView, Decision> decide, CancellationToken cancellationToken)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long rowMinute;
        int requests;
        DateOnly rowDay;
        long records;
        decimal amount;
        // The upsert takes the agent's row lock until the commit: one decide step per agent at a time, cluster-wide.
        // The commit does not wait for its flush (synchronous_commit off, this transaction only), so the
        // lock is not held through a disk flush: the decision's own record is committed after it with a
        // flush, and a flush writes out everything logged before it, this count included. What a crash
        // of the database can lose is therefore only the count of a decision that was never recorded,
        // and so never answered (ADR 0037).
        await using (var take = new NpgsqlCommand(
            """
            SET LOCAL synchronous_commit TO OFF;
            INSERT INTO "AgentUsage" ("AgentId", "Minute", "Requests", "Day", "Records", "Amount") VALUES (@agent, @minute, 0, @day, -1, 0)
            ON CONFLICT ("AgentId") DO UPDATE SET "AgentId" = EXCLUDED."AgentId"
            RETURNING "Minute", "Requests", "Day", "Records", "Amount"
            """, connection, transaction))
        {
            take.Parameters.AddWithValue("agent", agentId);
            take.Parameters.AddWithValue("minute", minute);
            take.Parameters.AddWithValue("day", day);
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            rowMinute = reader.GetInt64(0);
            requests = reader.GetInt32(1);
            rowDay = reader.GetFieldValue<DateOnly>(2);
            records = reader.GetInt64(3);
            amount = reader.GetDecimal(4);
        }
        // Only forward: an instance whose clock is behind counts into the newer minute.
        if (rowMinute < minute)
            (rowMinute, requests) = (minute, 0);
        if (records < 0 || rowDay != day)
            (rowDay, (records, amount)) = (day, await AllowedTodayAsync(agentId, day, cancellationToken));
        var decision = decide(new UsageView(requests, records, amount));
        if (!Counts(decision))
        {
            // Nothing to write: the row lock goes with the transaction, without waiting for a commit.
            await transaction.RollbackAsync(cancellationToken);
            return decision;
        }
        if (decision.Outcome == DecisionOutcome.Allow)
        {
            records += impact.Records;
            amount += impact.Amount;
        }
        await using (var put = new NpgsqlCommand(
            """
            UPDATE "AgentUsage" SET "Minute" = @minute, "Requests" = @requests, "Day" = @day, "Records" = @records, "Amount" = @amount
            WHERE "AgentId" = @agent
            """, connection, transaction))
        {
            put.Parameters.AddWithValue("agent", agentId);
            put.Parameters.AddWithValue("minute", rowMinute);
            put.Parameters.AddWithValue("requests", requests + 1);
            put.Parameters.AddWithValue("day", rowDay);
            put.Parameters.AddWithValue("records", records);
            put.Parameters.AddWithValue("amount", amount);
            await put.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return decision;
    }

    /// <summary>Whether a decision took the agent's usage: a contained agent's refusal takes none (ADR 0036).</summary>
    public static bool Counts(Decision decision) => decision.PrimaryReason.Code != DecisionCodes.Contained;

    private async Task<(long Records, decimal Amount)> AllowedTodayAsync(string agentId, DateOnly day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = contexts.CreateDbContext();
        var today = db.Decisions.AsNoTracking().Where(d =>
            d.AgentId == agentId && d.DecidedAt >= start
            && (d.State == DecisionState.Allowed || d.State == DecisionState.Approved || d.State == DecisionState.Completed));
        // An outcome that reported more than its request declared counts with what it reported.
        var records = await today.SumAsync(d => d.OutcomeRecords > d.Records ? (long)d.OutcomeRecords.Value : d.Records, cancellationToken);
        // SQLite sums decimals as text; amounts are summed here instead.
        var amounts = await today.Where(d => d.Amount != 0 || d.OutcomeAmount > 0)
            .Select(d => new { d.Amount, d.OutcomeAmount }).ToListAsync(cancellationToken);
        return (records, amounts.Sum(a => Math.Max(a.Amount, a.OutcomeAmount ?? 0m)));
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
