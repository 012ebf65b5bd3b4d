using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Policies;

namespace Warden.Tests.Domain.Policies;

/// <summary>
/// The indexed evaluator against a plain reference written here (every rule, in order, no index) on
/// generated policies and requests: the verdicts must be identical, and deny must override require
/// approval, which must override allow, in every engine decision.
/// </summary>
public sealed class PolicyDifferentialTests
{
    private const int Requests = 100_000;
    private static readonly string[] ToolNames = Enumerable.Range(0, 24).Select(i => $"tool.{i}").ToArray();
    private static readonly string[] SegmentNames = ["sales", "finance", "support", "hr"];
    private static readonly string[] Kinds = ["secret.jwt", "secret.cloud_key", "pii.email", "pii.card", "pii.custom:employee_id", "injection.override"];
    private static readonly string[] FindingPatterns = ["secret", "secret.jwt", "pii", "pii.email", "pii.custom", "injection", "injection.roleplay"];
    private static readonly string[] Scopes = ["crm/**", "crm/accounts/*", "erp/invoices/*", "prod/**", "hr/*/salary", "**"];
    private static readonly string[] Resources = ["crm/accounts/1", "crm/leads/7/notes", "erp/invoices/9", "prod/db/users", "hr/ann/salary", "git/warden"];

    [Fact]
    public void Evaluate_OnGeneratedPoliciesAndRequests_MatchesTheReferenceExactly()
    {
        var random = new Random(20261125);
        var divergences = new List<string>();
        var evaluated = 0;
        var decided = new int[3];
        foreach (var ruleCount in new[] { 10, 100, 400 })
        {
            var policy = new Policy($"generated-{ruleCount}", Enumerable.Range(0, ruleCount).Select(i => Rule(random, i)).ToList());
            for (var i = 0; i < Requests / 3 + 1; i++)
            {
                var (context, risk) = Context(random, policy);
                var actual = policy.Evaluate(context, risk);
                var expected = Reference(policy.Rules, context, risk);
                evaluated++;
                if (actual.Deny?.Id != expected.Deny || actual.Approval?.Id != expected.Approval || actual.Allow?.Id != expected.Allow)
                    divergences.Add($"{policy.Version} request {i}: index ({actual.Deny?.Id}, {actual.Approval?.Id}, {actual.Allow?.Id}) reference ({expected.Deny}, {expected.Approval}, {expected.Allow})");
                decided[expected.Deny is not null ? 0 : expected.Approval is not null ? 1 : expected.Allow is not null ? 2 : 2]++;
            }
        }

        evaluated.ShouldBeGreaterThanOrEqualTo(Requests);
        divergences.Take(5).ShouldBeEmpty();
        // The generator must exercise every effect, or the comparison proves little.
        decided.ShouldAllBe(count => count > 1_000);
    }

    [Fact]
    public void Decide_DenyOverridesRequireApprovalOverridesAllow_OnGeneratedPolicies()
    {
        var random = new Random(7);
        var policy = new Policy("generated", Enumerable.Range(0, 200).Select(i => Rule(random, i)).ToList());
        for (var i = 0; i < 20_000; i++)
        {
            var (context, risk) = Context(random, policy);
            var reference = Reference(policy.Rules, context, risk);
            var decision = DecisionEngine.Decide(context);

            var expected = reference.Deny is not null ? DecisionOutcome.Deny
                : reference.Approval is not null || risk == RiskTier.Critical ? DecisionOutcome.Pending
                : reference.Allow is not null ? DecisionOutcome.Allow
                : decision.Outcome;
            decision.Outcome.ShouldBe(expected, $"request {i}: reference {reference}");
            if (reference.Deny is not null)
                decision.MatchedRuleId.ShouldBe(reference.Deny);
        }
    }

    private sealed record Verdict(string? Deny, string? Approval, string? Allow);

    // The reference: look at every rule in document order; no index, no shortcuts.
    private static Verdict Reference(IReadOnlyList<PolicyRule> rules, DecisionContext context, RiskTier risk)
    {
        string? deny = null, approval = null, allow = null;
        var approvers = 0;
        foreach (var rule in rules)
        {
            if (!ReferenceMatches(rule.Match, context, risk))
                continue;
            switch (rule.Effect.Kind)
            {
                case PolicyEffectKind.Deny:
                    deny ??= rule.Id;
                    break;
                case PolicyEffectKind.RequireApproval when approval is null || rule.Effect.Approvers > approvers:
                    (approval, approvers) = (rule.Id, rule.Effect.Approvers);
                    break;
                case PolicyEffectKind.Allow:
                    allow ??= rule.Id;
                    break;
            }
        }
        return new Verdict(deny, approval, allow);
    }

    private static bool ReferenceMatches(PolicyMatch m, DecisionContext c, RiskTier risk)
    {
        var r = c.Request;
        bool Any<T>(IReadOnlyList<T> list, T value) => list.Count == 0 || list.Contains(value);
        var findingOk = m.Findings.Count == 0 || c.Findings.Any(f =>
            (m.MinConfidence is null || f.Confidence >= m.MinConfidence)
            && m.Findings.Any(p => f.Kind == p || f.Kind.StartsWith(p + ".", StringComparison.Ordinal) || f.Kind.StartsWith(p + ":", StringComparison.Ordinal)));
        return Any(m.Tools, r.Tool) && Any(m.Operations, r.Operation) && Any(m.RiskTiers, risk)
               && (m.MinAmount is null || r.Impact.Amount >= m.MinAmount) && (m.MinRecords is null || r.Impact.Records >= m.MinRecords)
               && Any(m.AutonomyLevels, c.Agent.AutonomyLevel) && Any(m.Segments, c.Agent.Segment) && findingOk
               && (m.Resources.Count == 0 || m.Resources.Any(s => s.Matches(r.Resource)))
               && (m.Window is null || m.Window.Contains(c.Now));
    }

    private static PolicyRule Rule(Random random, int index)
    {
        T[] Some<T>(T[] pool, int max) => random.Next(3) == 0 ? [] : pool.OrderBy(_ => random.Next()).Take(random.Next(1, max + 1)).ToArray();
        var match = new PolicyMatch
        {
            Tools = random.Next(4) == 0 ? [] : Some(ToolNames, 3),
            Operations = Some(Enum.GetValues<OperationKind>(), 2),
            Resources = random.Next(3) == 0 ? Some(Scopes, 2).Select(s => ResourceScope.Create(s).Value).ToArray() : [],
            RiskTiers = Some(Enum.GetValues<RiskTier>(), 2),
            MinAmount = random.Next(5) == 0 ? random.Next(0, 2000) : null,
            MinRecords = random.Next(6) == 0 ? random.Next(0, 200) : null,
            AutonomyLevels = Some([0, 1, 2, 3], 2),
            Segments = random.Next(3) == 0 ? Some(SegmentNames, 2) : [],
            Findings = random.Next(4) == 0 ? Some(FindingPatterns, 2) : [],
            MinConfidence = random.Next(8) == 0 ? 0.8 : null,
            Window = random.Next(10) == 0
                ? TimeWindow.Create([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Saturday], new TimeOnly(random.Next(0, 24), 0), new TimeOnly(random.Next(0, 24), 0), "Europe/Berlin").Value
                : null,
        };
        var effect = random.Next(3) switch
        {
            0 => PolicyEffect.Deny("no"),
            1 => PolicyEffect.RequireApproval(random.Next(1, 3)).Value,
            _ => PolicyEffect.Allow,
        };
        return new PolicyRule($"rule-{index}", string.Empty, match, effect);
    }

    private static (DecisionContext Context, RiskTier Risk) Context(Random random, Policy policy)
    {
        var tool = ToolNames[random.Next(ToolNames.Length)];
        var operation = Enum.GetValues<OperationKind>()[random.Next(4)];
        var risk = Enum.GetValues<RiskTier>()[random.Next(4)];
        var agent = new AgentView(AgentId.Parse("agt_0000000000000000000000000A"), new UserId("owner"), SegmentNames[random.Next(SegmentNames.Length)], [],
            AgentStatus.Active, random.Next(4), [new ToolDeclaration(tool, [operation], risk)], [ResourceScope.Create("**").Value], int.MaxValue, new ImpactCaps());
        var findings = Kinds.Where(_ => random.Next(5) == 0)
            .Select(k => new GuardrailFinding(k, FindingSeverity.High, "$", Math.Round(random.NextDouble(), 2))).ToList();
        var request = new DecisionRequest(tool, operation, Resources[random.Next(Resources.Length)],
            new RequestImpact(random.Next(0, 300), random.Next(0, 3000), "EUR"));
        var now = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 7 * 24 * 60));
        return (new DecisionContext(agent, ContainmentView.None, UsageView.None, request, findings, policy, now), risk);
    }
}
