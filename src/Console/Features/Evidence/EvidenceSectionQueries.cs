using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Approvals;
using Warden.Domain.Autonomy;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Evidence;

internal sealed record Tally<T>(T Key, int Count);

internal sealed record DecisionTallies(List<Tally<DecisionOutcome>> ByOutcome, List<Tally<string>> ByTool, List<Tally<string>> ByAgent);

internal sealed record PublishedVersion(DateTimeOffset? PublishedAt, string RequestedByName, string? SecondOfficerName, string Reason, int Widened,
                                        int Id, string Label, string ContentHash, string Content);

internal sealed record LevelChange(DateTimeOffset At, string AgentId, string Kind, string ActorName, string? Reason, string? Before, string? After);

internal sealed record PackViolation(DateTimeOffset DecidedAt, string AgentId, string Tool, DecisionOutcome Outcome, string Reasons, ViolationReview? Review);

internal sealed record PeriodActivity(long Calls, long OutsideAllowlist, long Anomalies, long CaughtBeforeExecution);

internal sealed record StepCount(DateTimeOffset From, int Decisions, int Violations);

/// <summary>
/// What the sections of a pack read, for the pack's scope and period. Long lists are read in keyset
/// batches, so memory does not grow with the period; summaries are grouped in the database.
/// </summary>
internal sealed class EvidenceSectionQueries(
    IDbContextFactory<WardenDbContext> contexts,
    EvidencePackSpec spec,
    EvidenceScopeContext scope,
    int batchSize)
{
    private readonly HashSet<string> _agents = scope.Agents.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);

    private DateTimeOffset Start => spec.PeriodStart;
    private DateTimeOffset End => spec.PeriodEnd;

    /// <summary>The publications up to the period's end (at most 200), newest first, with their versions.</summary>
    public async Task<List<PublishedVersion>> PublicationsAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await (from p in db.PolicyPublications.AsNoTracking()
                      join v in db.PolicyVersions.AsNoTracking() on p.VersionId equals v.Id
                      where p.State == Warden.Features.Policies.PublicationState.Published && p.PublishedAt <= End
                      orderby p.PublishedAt descending, p.Id descending
                      select new PublishedVersion(p.PublishedAt, p.RequestedByName, p.SecondOfficerName, p.Reason, p.Widened, v.Id, v.Label, v.ContentHash, v.Content))
            .Take(200).ToListAsync(cancellationToken);
    }

    public async Task<List<Tally<string>>> DecisionsByPolicyVersionAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var versions = await scope.Decisions(db, Start, End).GroupBy(d => d.PolicyVersion)
            .Select(g => new { Version = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return versions.ConvertAll(v => new Tally<string>(v.Version, v.Count));
    }

    /// <summary>The period's decisions by outcome, and the 20 most used tools and 20 busiest agents.</summary>
    public async Task<DecisionTallies> DecisionTalliesAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var decisions = scope.Decisions(db, Start, End);
        var byOutcome = await decisions.GroupBy(d => d.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byTool = await decisions.GroupBy(d => d.Tool).Select(g => new { g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key).Take(20).ToListAsync(cancellationToken);
        var byAgent = await decisions.GroupBy(d => d.AgentId).Select(g => new { g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key).Take(20).ToListAsync(cancellationToken);
        return new DecisionTallies(byOutcome.ConvertAll(o => new Tally<DecisionOutcome>(o.Key, o.Count)),
                                   byTool.ConvertAll(t => new Tally<string>(t.Key, t.Count)),
                                   byAgent.ConvertAll(a => new Tally<string>(a.Key, a.Count)));
    }

    /// <summary>The approval requests opened in the period, in id order.</summary>
    public async IAsyncEnumerable<ApprovalRequest> ApprovalsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var ids = scope.AgentIds?.ToList();
        var after = string.Empty;
        while (true)
        {
#pragma warning disable CA1309 // EF translates string.Compare to the column's own (binary) comparison; CompareOrdinal has no translation.
            var query = db.ApprovalRequests.AsNoTracking().Where(r => r.OpenedAt >= Start && r.OpenedAt < End && string.Compare(r.Id, after) > 0);
#pragma warning restore CA1309
            if (ids is not null)
                query = query.Where(r => ids.Contains(r.AgentId));
            var batch = await query.OrderBy(r => r.Id).Take(batchSize).ToListAsync(cancellationToken);
            foreach (var r in batch)
                yield return r;
            if (batch.Count < batchSize)
                yield break;
            after = batch[^1].Id;
        }
    }

    /// <summary>The trips of the period that reach the scope (an agent in it, its owner or its segment), in the order they tripped.</summary>
    public async Task<List<Trip>> ContainmentsAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var trips = await db.Containments.AsNoTracking().Where(c => c.TrippedAt >= Start && c.TrippedAt < End)
            .OrderBy(c => c.TrippedAt).ToListAsync(cancellationToken);
        var owners = scope.Agents.Select(a => a.OwnerId).ToHashSet(StringComparer.Ordinal);
        var segments = scope.Agents.Select(a => a.Segment).ToHashSet(StringComparer.Ordinal);
        return trips.Where(c => scope.AgentIds is null || c.Scope switch
        {
            ContainmentScope.Agent => scope.AgentIds.Contains(c.Target),
            ContainmentScope.Owner => owners.Contains(c.Target),
            ContainmentScope.Segment => segments.Contains(c.Target),
            _ => true,
        }).ToList();
    }

    /// <summary>The autonomy level changes of the period's agents in scope, in the order they happened.</summary>
    public async Task<List<LevelChange>> LevelChangesAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var changes = await db.AgentChanges.AsNoTracking()
            .Where(c => c.At >= Start && c.At < End && Warden.Features.Autonomy.AutonomyChanges.Kinds.Contains(c.Kind))
            .OrderBy(c => c.At).ThenBy(c => c.Id).Take(5_000)
            .Select(c => new LevelChange(c.At, c.AgentId, c.Kind, c.ActorName, c.Reason, c.Before, c.After)).ToListAsync(cancellationToken);
        return changes.Where(c => _agents.Contains(c.AgentId)).ToList();
    }

    /// <summary>The promotion requests of agents in scope decided in the period, in the order they were decided.</summary>
    public async Task<List<PromotionRequest>> PromotionsDecidedAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return (await db.PromotionRequests.AsNoTracking().Where(r => r.DecidedAt >= Start && r.DecidedAt < End).Take(2_000).ToListAsync(cancellationToken))
            .Where(r => _agents.Contains(r.AgentId.Value)).OrderBy(r => r.DecidedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The period's violations in id order, each with its review if one was made before the period ended.</summary>
    public async IAsyncEnumerable<PackViolation> ViolationsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var after = string.Empty;
        while (true)
        {
#pragma warning disable CA1309 // as above: a keyset on the id column
            var batch = await scope.Decisions(db, Start, End).Where(d => d.IsViolation && string.Compare(d.Id, after) > 0)
#pragma warning restore CA1309
                .OrderBy(d => d.Id).Take(batchSize)
                .Select(d => new { d.Id, d.DecidedAt, d.AgentId, d.Tool, d.Outcome, d.Reasons }).ToListAsync(cancellationToken);
            var ids = batch.Select(d => d.Id).ToList();
            var reviews = await db.ViolationReviews.AsNoTracking().Where(r => ids.Contains(r.DecisionId) && r.ReviewedAt < End)
                .ToDictionaryAsync(r => r.DecisionId, StringComparer.Ordinal, cancellationToken);
            foreach (var d in batch)
                yield return new PackViolation(d.DecidedAt, d.AgentId, d.Tool, d.Outcome, d.Reasons, reviews.GetValueOrDefault(d.Id));
            if (batch.Count < batchSize)
                yield break;
            after = batch[^1].Id;
        }
    }

    /// <summary>The tool calls asked about in the period (reviews of earlier calls aside), and the behaviour alerts raised in it.</summary>
    public async Task<PeriodActivity> ActivityAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var outside = await Warden.Features.Metrics.GovernanceHistoryReader.OutsideAllowlist(
            scope.Decisions(db, Start, End).Where(d => d.ReviewOf == null)).LongCountAsync(cancellationToken);
        var calls = await scope.Decisions(db, Start, End).Where(d => d.ReviewOf == null).LongCountAsync(cancellationToken);
        var alerts = db.AnomalyAlerts.AsNoTracking().Where(a => a.DetectedAt >= Start && a.DetectedAt < End);
        if (scope.AgentIds is { } agentIds)
        {
            var list = agentIds.ToList();
            alerts = alerts.Where(a => list.Contains(a.AgentId));
        }
        var anomalies = await alerts.LongCountAsync(cancellationToken);
        var caught = await alerts.LongCountAsync(a => a.BeforeExecution, cancellationToken);
        return new PeriodActivity(calls, outside, anomalies, caught);
    }

    /// <summary>The decisions and violations of each <paramref name="step"/> of the period, from its start.</summary>
    public async Task<List<StepCount>> DecisionsPerStepAsync(TimeSpan step, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var steps = new List<StepCount>();
        for (var from = Start; from < End; from += step)
        {
            var to = from + step < End ? from + step : End;
            var counts = await scope.Decisions(db, from, to).GroupBy(d => d.IsViolation)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            steps.Add(new StepCount(from, counts.Sum(c => c.Count), counts.FirstOrDefault(c => c.Key)?.Count ?? 0));
        }
        return steps;
    }
}
