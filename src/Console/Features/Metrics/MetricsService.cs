using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Metrics;
using Warden.Domain.People;
using Warden.Features.Agents;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Metrics;

public sealed record MetricsQuery(int PeriodDays, MetricScope Scope);

/// <summary>A scope a person may choose: everything, an owner, or an agent.</summary>
public sealed record MetricScopeChoice(MetricScope Scope, string Label);

public sealed record MetricsReport(GovernanceFigures Figures, IReadOnlyList<MetricsBucket> Buckets, TimeSpan ComputedIn);

/// <summary>
/// The governance metrics for a period, per agent, per owner or overall, each with its trend.
/// Officers, auditors and administrators see every scope; an owner sees their own agents and themselves.
/// </summary>
public sealed class MetricsService(AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, GovernanceHistoryReader reader, TimeProvider clock)
{
    public static readonly int[] Periods = [1, 7, 30, 90];

    public static Error ScopeNotVisible { get; } = new("metrics.scope_not_visible", "You can see the metrics of your own agents only.");

    public static Error PeriodInvalid { get; } = new("metrics.period_invalid", "A period is 1, 7, 30 or 90 days.");

    public async Task<Result<MetricsReport>> GetMetricsAsync(MetricsQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var access = await guard.RequireAsync(AgentAccess.Readers);
        if (access.IsFailure)
            return access.Error;
        if (!Periods.Contains(query.PeriodDays))
            return PeriodInvalid;
        if (!await MaySeeAsync(access.Value, query.Scope, ct))
            return ScopeNotVisible;
        var started = clock.GetTimestamp();
        var period = MetricPeriod.Ending(clock.GetUtcNow(), TimeSpan.FromDays(query.PeriodDays));
        var history = await reader.ReadAsync(period, ct);
        var figures = GovernanceCalculator.Compute(history, query.Scope, period);
        return new MetricsReport(figures, GovernanceHistoryReader.Buckets(history, query.Scope, period), clock.GetElapsedTime(started));
    }

    public async Task<Result<IReadOnlyList<MetricScopeChoice>>> GetScopesAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(AgentAccess.Readers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var all = AgentAccess.SeesAll(actor);
        var agents = await db.Agents.AsNoTracking()
            .Where(a => all || a.OwnerId == actor.Id)
            .OrderBy(a => a.Name)
            .Select(a => new { a.Id, a.Name, a.OwnerId })
            .ToListAsync(ct);
        var ownerIds = agents.Select(a => a.OwnerId.Value).Distinct(StringComparer.Ordinal).ToList();
        var people = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        var choices = new List<MetricScopeChoice>();
        if (all)
            choices.Add(new MetricScopeChoice(MetricScope.Overall, "All agents"));
        choices.AddRange(people.OrderBy(p => p.DisplayName ?? p.Email, StringComparer.OrdinalIgnoreCase)
            .Select(p => new MetricScopeChoice(MetricScope.Owner(p.Id), $"Owner: {(string.IsNullOrWhiteSpace(p.DisplayName) ? p.Email : p.DisplayName)}")));
        if (!all && actor.IsIn(Roles.AgentOwner) && choices.Count == 0)
            choices.Add(new MetricScopeChoice(MetricScope.Owner(actor.Id.Value), $"Owner: {actor.Name}"));
        choices.AddRange(agents.Select(a => new MetricScopeChoice(MetricScope.Agent(a.Id.Value), $"Agent: {a.Name}")));
        return choices;
    }

    private async Task<bool> MaySeeAsync(Actor actor, MetricScope scope, CancellationToken ct)
    {
        if (AgentAccess.SeesAll(actor))
            return true;
        switch (scope.Kind)
        {
            case MetricScopeKind.Owner:
                return scope.Target == actor.Id.Value;
            case MetricScopeKind.Agent when Warden.Domain.Agents.AgentId.TryParse(scope.Target, out var id):
                await using (var db = contexts.CreateDbContext())
                    return await db.Agents.AsNoTracking().AnyAsync(a => a.Id == id && a.OwnerId == actor.Id, ct);
            default:
                return false;
        }
    }
}
