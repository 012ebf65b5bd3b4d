using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>Decisions of one rule and agent whose outcome a candidate policy changes, and how.</summary>
public sealed record ReplayChange(string Rule, string AgentId, string AgentName, string From, string To, int Count, string SampleDecisionId);

public sealed record ReplayReport(
    DateTimeOffset From, DateTimeOffset To, int Replayed, int Skipped, int Widened, int Narrowed, bool Truncated, IReadOnlyList<ReplayChange> Changes)
{
    public int Changed => Changes.Sum(c => c.Count);

    /// <summary>
    /// This report followed by one of the window after it (<paramref name="later"/> starts where this
    /// ends): counts add up and the changes of one rule, agent and direction are counted together.
    /// </summary>
    public ReplayReport FollowedBy(ReplayReport later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var changes = Changes.Concat(later.Changes)
            .GroupBy(c => (c.Rule, c.AgentId, c.From, c.To))
            .Select(g => g.First() with { Count = g.Sum(c => c.Count), SampleDecisionId = g.Last().SampleDecisionId })
            .OrderByDescending(c => c.Count).ThenBy(c => c.Rule, StringComparer.Ordinal).ThenBy(c => c.AgentId, StringComparer.Ordinal)
            .ToList();
        return new ReplayReport(From, later.To, Replayed + later.Replayed, Skipped + later.Skipped, Widened + later.Widened,
                                Narrowed + later.Narrowed, Truncated || later.Truncated, changes);
    }
}

/// <summary>
/// "What would change": the recorded requests of a window are decided again under the policy in
/// force and under a candidate, with the agents as they are now, their stored guardrail findings and
/// no rate or budget pressure, so every difference is the candidate's doing. Rows are streamed in
/// batches; at most <see cref="MaxDecisions"/> of the newest are replayed.
/// </summary>
public sealed class PolicyReplay(IDbContextFactory<WardenDbContext> contexts, IRecordedRequests requests)
{
    public const int MaxDecisions = 100_000;
    public const int BatchSize = 1_000;
    public const string DefaultRule = "(autonomy default)";

    public Task<ReplayReport> RunAsync(Policy current, Policy candidate, DateTimeOffset from, DateTimeOffset to,
        IProgress<int>? progress, CancellationToken cancellationToken) =>
        RunAsync(current, candidate, from, to, progress is null ? null : (done, _) =>
        {
            progress.Report(done);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>How many decisions a replay of the window looks at: those recorded in it, at most <see cref="MaxDecisions"/>.</summary>
    public Task<int> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        requests.CountAsync(from, to, MaxDecisions, cancellationToken);

    /// <param name="afterBatch">Told the number of decisions done after each batch (a background job persists it).</param>
    public async Task<ReplayReport> RunAsync(Policy current, Policy candidate, DateTimeOffset from, DateTimeOffset to,
        Func<int, CancellationToken, Task>? afterBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        await using var db = contexts.CreateDbContext();
        var agents = new Dictionary<string, Agent?>(StringComparer.Ordinal);
        var changes = new Dictionary<(string Rule, string Agent, string From, string To), (int Count, string Sample)>();
        int replayed = 0, skipped = 0, widened = 0, narrowed = 0;
        RecordedRequest? previous = null;
        while (replayed + skipped < MaxDecisions)
        {
            var batch = await requests.GetPageAsync(from, to, previous, Math.Min(BatchSize, MaxDecisions - replayed - skipped), cancellationToken);
            if (batch.Count == 0)
                break;
            previous = batch[^1];
            await LoadAgentsAsync(db, agents, batch.Select(r => r.AgentId), cancellationToken);

            foreach (var row in batch)
            {
                if (agents[row.AgentId] is not { } agent || DecisionRequest.Create(row.Tool, row.Operation, row.Resource,
                        new RequestImpact(row.Records, row.Amount, row.Currency, row.ImpactDeclared), null) is not { IsSuccess: true } request)
                {
                    skipped++;
                    continue;
                }
                var view = AgentView.From(agent, attestationOverdueEnforced: false);
                var was = DecisionEngine.Decide(new DecisionContext(view, ContainmentView.None, UsageView.None, request.Value, row.Findings, current, row.DecidedAt));
                var would = DecisionEngine.Decide(new DecisionContext(view, ContainmentView.None, UsageView.None, request.Value, row.Findings, candidate, row.DecidedAt));
                replayed++;
                if (was.Outcome == would.Outcome && was.RequiredApprovals == would.RequiredApprovals)
                    continue;
                if (would.Outcome == DecisionOutcome.Allow)
                    widened++;
                else if (was.Outcome == DecisionOutcome.Allow || (was.Outcome == DecisionOutcome.Pending && would.Outcome == DecisionOutcome.Deny))
                    narrowed++;
                var key = (would.MatchedRuleId ?? was.MatchedRuleId ?? DefaultRule, row.AgentId, Describe(was), Describe(would));
                changes[key] = changes.TryGetValue(key, out var seen) ? (seen.Count + 1, seen.Sample) : (1, row.DecisionId);
            }
            if (afterBatch is not null)
                await afterBatch(replayed + skipped, cancellationToken);
        }
        var report = changes
            .OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key.Rule, StringComparer.Ordinal).ThenBy(c => c.Key.Agent, StringComparer.Ordinal)
            .Select(c => new ReplayChange(c.Key.Rule, c.Key.Agent, agents.GetValueOrDefault(c.Key.Agent)?.Name ?? c.Key.Agent, c.Key.From, c.Key.To, c.Value.Count, c.Value.Sample))
            .ToList();
        return new ReplayReport(from, to, replayed, skipped, widened, narrowed, replayed + skipped >= MaxDecisions, report);
    }

    private static string Describe(Decision decision) => decision.Outcome switch
    {
        DecisionOutcome.Pending => decision.RequiredApprovals >= 2 ? "pending (2 approvers)" : "pending",
        var outcome => PolicyTestRunner.Name(outcome),
    };

    private static async Task LoadAgentsAsync(WardenDbContext db, Dictionary<string, Agent?> agents, IEnumerable<string> agentIds, CancellationToken cancellationToken)
    {
        var missing = agentIds.Where(id => !agents.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
            return;
        var parsed = missing.Select(id => AgentId.TryParse(id, out var a) ? a : (AgentId?)null).Where(a => a is not null).Select(a => a!.Value).ToList();
        var loaded = await db.Agents.AsNoTracking().Where(a => parsed.Contains(a.Id)).ToListAsync(cancellationToken);
        foreach (var id in missing)
            agents[id] = loaded.FirstOrDefault(a => a.Id.Value == id);
    }
}
