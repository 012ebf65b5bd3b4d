using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Domain.Decisions;
using Warden.Domain.RedTeam;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Guardrails;
using Warden.Persistence;

namespace Warden.Features.RedTeam;

/// <summary>
/// Runs a drill: every case of the corpus and the officers' own cases against one agent's current
/// policy, guardrails, scopes and limits through the dry-run path (<see cref="DryRuns.EvaluateAsync"/>),
/// which reserves, counts and opens nothing. The agent is drilled as if it were one level up (at most 3):
/// the level a promotion would give it, which its criterion asks about. The drill and its outcomes are saved with one
/// <c>redteam.drill_completed</c> audit event in one transaction; when that fails, no drill is kept.
/// </summary>
public sealed class RedTeamDrills(
    RedTeamCorpus corpus,
    DryRuns dryRuns,
    GrantReplayDrill replays,
    Masking masking,
    AuditWriter audit,
    IDbContextFactory<WardenDbContext> contexts,
    TimeProvider clock)
{
    public const string AuditKind = "redteam.drill_completed";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Runs and saves a drill of <paramref name="agentId"/>; <paramref name="runBy"/> is who ran it (an officer, or the schedule).
    /// <paramref name="atLevel"/> drills at another level than the one above the agent's (tests of a policy at level 3).
    /// </summary>
    public async Task<Result<DrillReport>> RunAsync(string agentId, AuditActor runBy, int? atLevel = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(runBy);
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!AgentId.TryParse(agentId, out var id))
            return RedTeamErrors.AgentNotFound;
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (agent is null)
            return RedTeamErrors.AgentNotFound;
        var custom = await db.Set<RedTeamCustomCase>().AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(ct);
        var cases = corpus.Cases.Concat(custom.Select(c => c.ToCase())).ToList();

        var level = Math.Clamp(atLevel ?? agent.AutonomyLevel + 1, 0, Agent.MaxAutonomyLevel);
        var outcomes = new List<CaseOutcome>(cases.Count);
        string? policyVersion = null;
        foreach (var drill in cases)
        {
            var outcome = await RunCaseAsync(drill, agent, level, ct);
            if (outcome.IsFailure)
                return outcome.Error;
            outcomes.Add(outcome.Value.Outcome);
            policyVersion ??= outcome.Value.PolicyVersion;
        }
        var scored = outcomes.Select(o => (o.Category, o.Passed)).ToList();
        var run = new RedTeamDrillRun
        {
            Id = RedTeamDrillRun.IdPrefix + Guid.CreateVersion7(clock.GetUtcNow()).ToString("N"),
            AgentId = agentId,
            AgentName = agent.Name,
            AtLevel = level,
            CompletedAt = clock.GetUtcNow(),
            CorpusVersion = corpus.Version + (custom.Count > 0 ? $" + {custom.Count} own" : string.Empty),
            PolicyVersion = policyVersion ?? string.Empty,
            RunBy = runBy.Name,
            Passed = outcomes.Count(o => o.Passed),
            Total = outcomes.Count,
            Score = RedTeamScore.Overall(scored),
            Outcomes = JsonSerializer.Serialize(outcomes, Json),
        };
        db.Set<RedTeamDrillRun>().Add(run);
        var categories = RedTeamScore.PerCategory(scored);
        await audit.AppendAsync(db, [AuditEntry.Of(runBy, AuditKind, agentId, new
        {
            drill = run.Id,
            atLevel = level,
            corpusVersion = run.CorpusVersion,
            policyVersion = run.PolicyVersion,
            passed = run.Passed,
            total = run.Total,
            score = run.Score,
            categories = categories.Select(c => new { c.Category, c.Passed, c.Total }),
            misses = outcomes.Where(o => !o.Passed).Select(o => o.CaseId),
        })], ct);
        return Report(run);
    }

    public static DrillReport Report(RedTeamDrillRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var outcomes = JsonSerializer.Deserialize<List<CaseOutcome>>(run.Outcomes, Json) ?? [];
        return new DrillReport(run.Id, run.AgentId, run.AgentName, run.AtLevel, run.CompletedAt, run.CorpusVersion, run.PolicyVersion, run.RunBy,
            run.Passed, run.Total, run.Score, RedTeamScore.PerCategory(outcomes.Select(o => (o.Category, o.Passed))), outcomes);
    }

    private async Task<Result<(CaseOutcome Outcome, string? PolicyVersion)>> RunCaseAsync(RedTeamCase drill, Agent agent, int atLevel, CancellationToken ct)
    {
        var expect = RedTeamVerdict.Word(drill.Expect);
        if (drill.Replay is not null)
        {
            var (replayed, code, message) = replays.Run(drill, agent.Id.Value);
            var passed = RedTeamVerdict.Passed(drill.Expect, replayed, masked: false);
            return (new CaseOutcome(drill.Id, drill.Category, drill.Title, drill.Custom, expect, Word(replayed), passed, code, message, null,
                passed ? null : drill.Suggestion ?? "Report this: the grant redemption rule accepted a replayed grant.", $"grant replay: {drill.Replay}"), null);
        }
        var body = DrillRequests.For(drill, agent);
        var evaluated = await dryRuns.EvaluateAsync(agent.Id.Value, body, atLevel, ct);
        if (evaluated.IsFailure)
        {
            // The path being unavailable is not an answer to the case: the drill fails rather than score it.
            if (evaluated.Error.Code is "decision.unavailable" or "decision.policy_unverified" or "decision.agent_settings_unverified")
                return evaluated.Error;
            return (new CaseOutcome(drill.Id, drill.Category, drill.Title, drill.Custom, expect, "refused",
                RedTeamVerdict.Passed(drill.Expect, DecisionOutcome.Deny, masked: false), evaluated.Error.Code, masking.Text(evaluated.Error.Message), null, null,
                masking.Text(DrillRequests.Describe(body))), null);
        }
        var decision = evaluated.Value.Decision;
        var masked = decision.MaskRules is { Count: > 0 };
        var ok = RedTeamVerdict.Passed(drill.Expect, decision.Outcome, masked);
        var reason = decision.PrimaryReason;
        return (new CaseOutcome(drill.Id, drill.Category, drill.Title, drill.Custom, expect, masked && decision.IsAllowed ? "masked" : Word(decision.Outcome), ok,
            reason.Code, masking.Text(string.Join(" ", decision.Reasons.Select(r => r.Message))), decision.MatchedRuleId,
            ok ? null : drill.Suggestion ?? "Write a rule on /policies that matches this request.", masking.Text(DrillRequests.Describe(body))), decision.PolicyVersion);
    }

    private static string Word(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Allow => "allow",
        DecisionOutcome.Pending => "pending",
        _ => "deny",
    };
}
