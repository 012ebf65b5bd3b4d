using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Policies;

namespace Warden.PolicyBench;

/// <summary>
/// A policy of 1,000 rules over 200 tools (950 naming tools, 50 for any tool) and a rotating set of
/// requests that all reach the policy step, so every request pays for the rules of its tool.
/// </summary>
internal static class PolicyFixture
{
    public const int RuleCount = 1_000;
    public const int ToolCount = 200;
    public const int AnyToolRules = 50;

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static Policy Policy()
    {
        var random = new Random(42);
        var zones = new[] { "UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo" };
        var rules = new List<PolicyRule>(RuleCount);
        for (var i = 0; i < RuleCount; i++)
        {
            var anyTool = i % (RuleCount / AnyToolRules) == 0;
            var match = new PolicyMatch
            {
                Tools = anyTool ? [] : [Tool(random.Next(ToolCount))],
                Operations = (i % 3) switch { 0 => [OperationKind.Write], 1 => [OperationKind.Delete, OperationKind.Execute], _ => [] },
                Resources = i % 4 == 0 ? [ResourceScope.Create($"data/area{i % 17}/**").Value] : [],
                MinAmount = i % 5 == 0 ? 1_000m + i : null,
                Segments = i % 7 == 0 ? ["segment-" + (i % 11)] : [],
                Window = i % 10 == 0
                    ? TimeWindow.Create([DayOfWeek.Saturday, DayOfWeek.Sunday], new TimeOnly(19, 0), new TimeOnly(7, 0), zones[i % zones.Length]).Value
                    : null,
            };
            var effect = (i % 3) switch
            {
                0 => PolicyEffect.Deny($"Rule {i} denies this."),
                1 => PolicyEffect.RequireApproval(1 + (i % 2)).Value,
                _ => PolicyEffect.Allow,
            };
            rules.Add(new PolicyRule($"rule-{i:0000}", $"Generated rule {i}", match, effect));
        }
        return Warden.Domain.Policies.Policy.Create("bench-1", rules).Value;
    }

    public static DecisionContext[] Contexts(Policy policy, int count)
    {
        var random = new Random(7);
        var agent = new AgentView(
            AgentId.New(Now),
            new UserId("owner"),
            "segment-3",
            ["bench"],
            AgentStatus.Active,
            AutonomyLevel: 2,
            Enumerable.Range(0, AgentProfile.MaxTools).Select(t => new ToolDeclaration(Tool(t * 2), [OperationKind.Read, OperationKind.Write, OperationKind.Delete], (RiskTier)(t % 3))).ToList(),
            [ResourceScope.Create("data/**").Value],
            RateLimitPerMinute: 10_000,
            new ImpactCaps(MaxRecordsPerAction: 1_000, MaxAmountPerAction: 50_000m, DailyRecordBudget: 1_000_000, DailyAmountBudget: 1_000_000m, Currency: "EUR"));
        var usage = new UsageView(10, 100, 1_000m);
        var operations = new[] { OperationKind.Read, OperationKind.Write, OperationKind.Delete };
        return Enumerable.Range(0, count).Select(i => new DecisionContext(
            agent,
            ContainmentView.None,
            usage,
            new DecisionRequest(Tool(random.Next(AgentProfile.MaxTools) * 2), operations[i % 3], $"data/area{i % 17}/item{i}", new RequestImpact(i % 50, i % 2_000, "EUR")),
            [],
            policy,
            Now.AddMinutes(i * 37))).ToArray();
    }

    private static string Tool(int index) => $"tool.{index:000}";
}
