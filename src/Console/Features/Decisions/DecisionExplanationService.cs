using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using Warden.Features.Agents;
using Warden.Features.Policies;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Decisions;

/// <summary>
/// Explains a recorded decision: which rules of which policy version matched, which decided and why.
/// Everyone who can see the agent can see its decisions explained; owners only their own agents'.
/// </summary>
public sealed class DecisionExplanationService(AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, PolicyYamlLoader loader)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Error NotFound(string id) => new("decision.not_found", $"No decision '{id}' that you can see.");

    public async Task<Result<DecisionExplanation>> GetExplanationAsync(string decisionId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(AgentAccess.Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var record = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        var agent = record is not null && AgentId.TryParse(record.AgentId, out var agentId)
            ? await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agentId, ct)
            : null;
        // A decision of an agent the caller cannot see does not exist for them (no hint that it does).
        if (record is null || (agent is null ? !AgentAccess.SeesAll(access.Value) : !AgentAccess.CanSee(access.Value, agent)))
            return NotFound(decisionId);

        var version = await PolicyVersionAsync(db, record.PolicyVersion, ct);
        var policy = version is null ? null : loader.Compile(version.Content).Policy;
        var request = record.Outcome == DecisionOutcome.Pending
            ? await db.ApprovalRequests.AsNoTracking().SingleOrDefaultAsync(r => r.DecisionId == record.Id, ct)
            : null;
        var reasons = JsonSerializer.Deserialize<List<ReasonBody>>(record.Reasons, Json) ?? [];
        var rules = Rules(record, policy);
        return new DecisionExplanation(
            record.Id, record.AgentId, agent?.Name ?? record.AgentId, record.DecidedAt, record.Tool, record.Operation, record.Resource,
            record.Records, record.Amount, record.Currency,
            PolicyTestRunner.Name(record.Outcome), record.State.ToString().ToLowerInvariant(),
            DecisionWords.Summary(record, reasons, rules, request?.WhoMayDecide()),
            reasons, rules, record.RiskTier, record.PolicyVersion, version?.Id, record.RequiredApprovals, request?.WhoMayDecide(),
            record.IsViolation, record.Parameters, record.Justification);
    }

    /// <summary>The version a decision names by its label: the published one with that label, else the newest saved.</summary>
    private static async Task<PolicyVersion?> PolicyVersionAsync(WardenDbContext db, string label, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(label))
            return null;
        var published = await db.PolicyPublications.AsNoTracking()
            .Where(p => p.State == PublicationState.Published)
            .Join(db.PolicyVersions.Where(v => v.Label == label), p => p.VersionId, v => v.Id, (p, v) => v.Id)
            .OrderByDescending(id => id)
            .FirstOrDefaultAsync(ct);
        var query = db.PolicyVersions.AsNoTracking().Where(v => v.Label == label);
        return published > 0
            ? await query.SingleOrDefaultAsync(v => v.Id == published, ct)
            : await query.OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
    }

    private static List<ExplainedRule> Rules(DecisionRecord record, Policy? policy)
    {
        var ids = new List<string>();
        if (record.MatchedRuleId is { } decided)
            ids.Add(decided);
        if (record.OtherRuleIds is { } others)
            ids.AddRange(others.Split(DecisionRecord.RuleIdSeparator, StringSplitOptions.RemoveEmptyEntries));
        return ids.Select((id, i) => policy?.Rules.FirstOrDefault(r => r.Id == id) is { } rule
                ? new ExplainedRule(id, rule.Description, DecisionWords.Effect(rule.Effect), i == 0 && record.MatchedRuleId is not null, Known: true)
                : new ExplainedRule(id, string.Empty, string.Empty, i == 0 && record.MatchedRuleId is not null, Known: false))
            .ToList();
    }
}
