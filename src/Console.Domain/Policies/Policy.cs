using Warden.Domain.Agents;
using Warden.Domain.Decisions;

namespace Warden.Domain.Policies;

/// <summary>
/// A published set of rules, compiled once: rules are indexed by tool name, with one bucket for rules
/// that name no tool, so a request only looks at the rules that could apply to it.
/// </summary>
public sealed class Policy
{
    private readonly Dictionary<string, IndexedRule[]> _byTool;
    private readonly IndexedRule[] _anyTool;

    public Policy(string version, IReadOnlyList<PolicyRule> rules)
    {
        Version = version;
        Rules = rules;
        var byTool = new Dictionary<string, List<IndexedRule>>(StringComparer.Ordinal);
        var anyTool = new List<IndexedRule>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = new IndexedRule(i, rules[i]);
            if (rule.Rule.Match.Tools.Count == 0)
                anyTool.Add(rule);
            foreach (var tool in rule.Rule.Match.Tools.Distinct(StringComparer.Ordinal))
            {
                if (!byTool.TryGetValue(tool, out var bucket))
                    byTool[tool] = bucket = [];
                bucket.Add(rule);
            }
        }
        _byTool = byTool.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _anyTool = [.. anyTool];
    }

    public static Policy Empty { get; } = new("empty", []);

    public string Version { get; }
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Checks what the constructor cannot express in types: a version, and unique, non-empty rule ids.</summary>
    public static Result<Policy> Create(string version, IReadOnlyList<PolicyRule> rules)
    {
        if (string.IsNullOrWhiteSpace(version))
            return PolicyErrors.VersionRequired;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (string.IsNullOrWhiteSpace(rule.Id))
                return PolicyErrors.RuleIdRequired;
            if (!seen.Add(rule.Id))
                return PolicyErrors.DuplicateRuleId(rule.Id);
        }
        return new Policy(version.Trim(), rules);
    }

    public PolicyVerdict Evaluate(DecisionContext context, RiskTier risk) => Evaluate(context, risk, contentOnly: false);

    /// <summary>
    /// Only the rules about content (those that match guardrail findings): what an agent's output is
    /// reviewed against, since the action itself was decided already.
    /// </summary>
    public PolicyVerdict EvaluateContent(DecisionContext context, RiskTier risk) => Evaluate(context, risk, contentOnly: true);

    private PolicyVerdict Evaluate(DecisionContext context, RiskTier risk, bool contentOnly)
    {
        var best = new Best { ContentOnly = contentOnly };
        if (_byTool.TryGetValue(context.Request.Tool, out var forTool))
            best.Consider(forTool, context, risk);
        best.Consider(_anyTool, context, risk);
        var masks = best.Masks?.OrderBy(m => m.Order).Select(m => m.Rule).ToArray();
        return new PolicyVerdict(best.Deny?.Rule, best.Approval?.Rule, best.Allow?.Rule, masks);
    }

    private sealed record IndexedRule(int Order, PolicyRule Rule);

    private struct Best
    {
        public IndexedRule? Deny;
        public IndexedRule? Approval;
        public IndexedRule? Allow;
        public List<IndexedRule>? Masks;
        public bool ContentOnly;

        public void Consider(IndexedRule[] rules, DecisionContext context, RiskTier risk)
        {
            foreach (var candidate in rules)
            {
                if (ContentOnly && candidate.Rule.Match.Findings.Count == 0)
                    continue;
                // Masking is about what an output releases; a request goes to its tool as decided.
                if (!ContentOnly && candidate.Rule.Effect.Kind == PolicyEffectKind.Mask)
                    continue;
                if (!candidate.Rule.Match.Matches(context, risk))
                    continue;
                switch (candidate.Rule.Effect.Kind)
                {
                    case PolicyEffectKind.Deny:
                        if (Deny is null || candidate.Order < Deny.Order)
                            Deny = candidate;
                        break;
                    case PolicyEffectKind.Mask:
                        (Masks ??= []).Add(candidate);
                        break;
                    case PolicyEffectKind.RequireApproval:
                        if (Approval is null || Outranks(candidate, Approval))
                            Approval = candidate;
                        break;
                    default:
                        if (Allow is null || Outweighs(candidate, Allow))
                            Allow = candidate;
                        break;
                }
            }
        }

        /// <summary>Among allow rules, one that asks for a review afterwards outweighs one that does not.</summary>
        private static bool Outweighs(IndexedRule candidate, IndexedRule current) =>
            candidate.Rule.Effect.ReviewAfter != current.Rule.Effect.ReviewAfter ? candidate.Rule.Effect.ReviewAfter : candidate.Order < current.Order;

        private static bool Outranks(IndexedRule candidate, IndexedRule current)
        {
            var more = candidate.Rule.Effect.Approvers - current.Rule.Effect.Approvers;
            return more > 0 || (more == 0 && candidate.Order < current.Order);
        }
    }
}
