using System.Globalization;
using System.Text;
using System.Text.Json;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails;
using Warden.Domain.People;
using Warden.Domain.Policies;
using Warden.Domain.Previews;
using Warden.Features.Demo;
using Warden.Features.Policies;
using Warden.Features.Policies.Packs;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Policies.Packs;

/// <summary>
/// The demo's traffic (every scenario its agents run, with the spread of amounts and record counts
/// they draw) decided under the default policy and under the default policy with each pack adopted,
/// as a replay decides: the agents as seeded, their guardrail findings, no rate or budget pressure.
/// Each pack must change some decisions; the table of what changes is docs/policy-packs.md's.
/// </summary>
public sealed class PackDemoReplayTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly PolicyYamlLoader Loader = new();

    public static TheoryData<string> PackIds() => [.. PolicyPacks.Shipped.Ids];

    [Theory]
    [MemberData(nameof(PackIds))]
    public void Replay_OfTheDemoTraffic_ChangesSomeDecisionsThroughThePacksRules(string id)
    {
        var changes = Changes(id);

        changes.ShouldNotBeEmpty($"pack {id} changes no decision of the demo traffic");
        changes.ShouldAllBe(c => c.Rule.StartsWith(id + "/", StringComparison.Ordinal), Describe(changes));
    }

    [Fact]
    public void Table_InDocs_IsTheOneTheReplayProduces()
    {
        var table = Table();
        var docs = File.ReadAllText(RepositoryRoot.Combine("docs", "policy-packs.md")).ReplaceLineEndings("\n");

        docs.ShouldContain(table, Case.Sensitive, "docs/policy-packs.md should hold this table:\n" + table);
    }

    internal sealed record Change(string Agent, string Tool, string From, string To, string Rule, int Count);

    private static List<Change> Changes(string packId)
    {
        var without = Loader.Load(DefaultPolicy.Yaml).Value;
        var pack = PolicyPacks.Shipped.Latest.Single(p => p.Id == packId);
        var with = Loader.Compile(DefaultPolicy.Yaml + $"\npacks:\n  - {{ id: {pack.Id}, version: {pack.Version} }}\n").Policy!;
        var counted = new Dictionary<(string, string, string, string, string), int>();
        foreach (var (agent, request, findings) in Traffic())
        {
            var was = DecisionEngine.Decide(new DecisionContext(agent, ContainmentView.None, UsageView.None, request, findings, without, At));
            var would = DecisionEngine.Decide(new DecisionContext(agent, ContainmentView.None, UsageView.None, request, findings, with, At));
            if (was.Outcome == would.Outcome && was.RequiredApprovals == would.RequiredApprovals)
                continue;
            var key = (agent.Id.Value, request.Tool, Describe(was), Describe(would), would.MatchedRuleId ?? "(autonomy default)");
            counted[key] = counted.GetValueOrDefault(key) + 1;
        }
        return counted.Select(c => new Change(c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Key.Item4, c.Key.Item5, c.Value))
            .OrderBy(c => c.Agent, StringComparer.Ordinal).ThenBy(c => c.Tool, StringComparer.Ordinal).ThenBy(c => c.To, StringComparer.Ordinal).ToList();
    }

    /// <summary>Each scenario eight times, with the amounts (50 to 2,850) and record counts (1 to 4) the demo draws from.</summary>
    private static IEnumerable<(AgentView Agent, DecisionRequest Request, IReadOnlyList<GuardrailFinding> Findings)> Traffic()
    {
        var agents = DemoAgents.All.ToDictionary(a => a.Id.Value[AgentId.DemoPrefix.Length..], View);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        foreach (var scenario in DemoAgentRunner.Scenarios)
        {
            for (var k = 0; k < 8; k++)
            {
                var n = (1000 + k).ToString(CultureInfo.InvariantCulture);
                var payment = scenario.Tool == "payments.send";
                var impact = payment
                    ? new RequestImpact(1, 50 + 400 * k, "EUR", ImpactFigures.Records | ImpactFigures.Amount)
                    : new RequestImpact(1 + k % 4, 0m, "EUR", ImpactFigures.Records);
                var request = DecisionRequest.Create(scenario.Tool, scenario.Operation, scenario.Resource.Replace("{n}", n, StringComparison.Ordinal), impact, $"demo run {n}").Value;
                // The demo sends a preview with each payment (DemoPreviews).
                request = request with { Preview = payment ? PreviewPresence.Given : PreviewPresence.Absent };
                var parameters = JsonSerializer.Deserialize<JsonElement>(JsonSerializer.Serialize(scenario.Parameters, json).Replace("{n}", n, StringComparison.Ordinal));
                yield return (agents[scenario.Agent], request, GuardrailScanner.ForPolicy(GuardrailScanner.Default.Scan(parameters)));
            }
        }
    }

    private static AgentView View(DemoAgent demo) => new(
        demo.Id,
        new UserId(demo.OwnerEmail),
        demo.Draft.Segment,
        demo.Draft.Tags,
        AgentStatus.Active,
        demo.AutonomyLevel,
        demo.Draft.Tools.Select(t => new ToolDeclaration(t.Name, t.Operations, t.Risk, t.ParameterSchema)).ToList(),
        demo.Draft.Scopes.Select(s => ResourceScope.Create(s).Value).ToList(),
        demo.Draft.RateLimitPerMinute,
        new ImpactCaps(demo.Draft.MaxRecordsPerAction, demo.Draft.MaxAmountPerAction, demo.Draft.DailyRecordBudget, demo.Draft.DailyAmountBudget, demo.Draft.Currency));

    private static string Describe(Decision decision) => decision.Outcome switch
    {
        DecisionOutcome.Pending => decision.RequiredApprovals >= 2 ? "pending (2 approvers)" : "pending",
        var outcome => PolicyTestRunner.Name(outcome),
    };

    private static string Describe(IEnumerable<Change> changes) =>
        string.Join("; ", changes.Select(c => $"{c.Agent} {c.Tool}: {c.From} -> {c.To} by {c.Rule} x{c.Count}"));

    private static string Table()
    {
        var total = Traffic().Count();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"| pack | agent | tool | before | after | rule | decisions (of {total}) |\n");
        text.Append("|---|---|---|---|---|---|---|\n");
        foreach (var id in PolicyPacks.Shipped.Ids)
        {
            foreach (var c in Changes(id))
                text.Append(CultureInfo.InvariantCulture, $"| {id} | {c.Agent[AgentId.DemoPrefix.Length..]} | {c.Tool} | {c.From} | {c.To} | {c.Rule[(id.Length + 1)..]} | {c.Count} |\n");
        }
        return text.ToString();
    }
}
