using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>An agent's recent decisions and today's counters, for everyone who can see the agent.</summary>
public sealed class AgentActivityService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    UsageMeter usage,
    TimeProvider clock)
{
    public const int RecentCount = 25;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<AgentActivity>> GetActivityAsync(string agentId, CancellationToken ct = default)
    {
        var guard = await access.RequireAsync(AgentAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        var agent = AgentId.TryParse(agentId, out var id)
            ? await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct)
            : null;
        if (agent is null || !AgentAccess.CanSee(guard.Value, agent))
            return AgentAccess.NotFound(agentId);

        var now = clock.GetUtcNow();
        var decisions = db.Decisions.AsNoTracking().Where(d => d.AgentId == agentId);
        // An output review is recorded as a decision of its own on the same call; it is shown on its action's row, not as a second row.
        var recent = await decisions.Where(d => d.ReviewOf == null).OrderByDescending(d => d.DecidedAt).Take(RecentCount).ToListAsync(ct);
        var ids = recent.Select(d => d.Id).ToList();
        var reviews = await decisions.Where(d => d.ReviewOf != null && ids.Contains(d.ReviewOf))
            .Select(d => new { d.ReviewOf, d.Outcome, d.DecidedAt }).ToListAsync(ct);
        var latestReview = reviews.GroupBy(r => r.ReviewOf!).ToDictionary(g => g.Key, g => g.MaxBy(r => r.DecidedAt)!.Outcome);
        var today = await CountTodayAsync(decisions, now, ct);
        var meter = await usage.CurrentAsync(agentId, now, ct);

        var counters = new ActivityCounters(
            today.GetValueOrDefault(DecisionOutcome.Allow),
            today.GetValueOrDefault(DecisionOutcome.Deny),
            today.GetValueOrDefault(DecisionOutcome.Pending),
            meter.RecordsToday,
            agent.Caps.DailyRecordBudget,
            meter.AmountToday,
            agent.Caps.DailyAmountBudget,
            agent.Caps.Currency,
            meter.RequestsThisMinute,
            agent.RateLimitPerMinute);
        return new AgentActivity(agentId, recent.FirstOrDefault()?.DecidedAt, counters, recent.Select(d => Row(d) with { OutputReview = latestReview.TryGetValue(d.Id, out var review) ? review : null }).ToList());
    }

    private static DateTimeOffset StartOfDay(DateTimeOffset now) => new(now.UtcDateTime.Date, TimeSpan.Zero);

    private static async Task<Dictionary<DecisionOutcome, int>> CountTodayAsync(IQueryable<DecisionRecord> decisions, DateTimeOffset now, CancellationToken ct)
    {
        var start = StartOfDay(now);
        return await decisions.Where(d => d.DecidedAt >= start)
            .GroupBy(d => d.Outcome)
            .Select(g => new { Outcome = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Outcome, g => g.Count, ct);
    }

    private static RecentDecisionRow Row(DecisionRecord record)
    {
        var reason = JsonSerializer.Deserialize<List<ReasonBody>>(record.Reasons, Json)?.FirstOrDefault();
        return new RecentDecisionRow(
            record.Id, record.DecidedAt, record.Tool, record.Operation, record.Resource, record.Outcome, record.State,
            reason?.Code, reason?.Message, record.RiskTier, record.PolicyVersion);
    }
}
