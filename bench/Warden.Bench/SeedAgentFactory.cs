using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Bench;

/// <summary>Builds one varied, valid agent per index; the same seed always gives the same directory.</summary>
public sealed class SeedAgentFactory(IReadOnlyList<string> owners, DateTimeOffset now)
{
    public static readonly string[] Segments =
        ["finance", "hr", "sales", "support", "marketing", "legal", "it-ops", "security", "procurement", "engineering", "data", "customer-success"];

    public static readonly string[] Tags =
        ["pii", "customer-facing", "internal", "batch", "realtime", "gdpr", "sox", "pci", "experimental", "production",
         "vendor:openai", "vendor:anthropic", "vendor:azure", "team:alpha", "team:beta", "team:gamma", "cost:high", "cost:low",
         "eu-only", "us-only", "pilot", "legacy", "critical-path", "reviewed"];

    private static readonly string[] Subjects =
        ["Ledger", "Invoice", "Claims", "Triage", "Payroll", "Onboarding", "Forecast", "Refund", "Contract", "Inventory",
         "Fraud", "Helpdesk", "Pricing", "Recruiting", "Audit", "Compliance", "Churn", "Routing", "Sentiment", "Catalog"];

    private static readonly string[] Roles =
        ["Assistant", "Bot", "Reviewer", "Summarizer", "Agent", "Router", "Checker", "Drafter", "Monitor", "Reconciler"];

    private static readonly ToolDeclaration[][] ToolsByRisk =
    [
        [Tool("crm.read", RiskTier.Low, OperationKind.Read), Tool("kb.search", RiskTier.Low, OperationKind.Read), Tool("calendar.read", RiskTier.Low, OperationKind.Read)],
        [Tool("email.draft", RiskTier.Medium, OperationKind.Write), Tool("tickets.update", RiskTier.Medium, OperationKind.Write), Tool("sheets.write", RiskTier.Medium, OperationKind.Write)],
        [Tool("email.send", RiskTier.High, OperationKind.Execute), Tool("payments.refund", RiskTier.High, OperationKind.Write)],
        [Tool("db.delete", RiskTier.Critical, OperationKind.Delete), Tool("shell.exec", RiskTier.Critical, OperationKind.Execute), Tool("payments.transfer", RiskTier.Critical, OperationKind.Execute)],
    ];

    private static readonly string[] ScopePatterns = ["crm/accounts/*", "tickets/**", "kb/articles/*", "payments/eu/*", "files/shared/**", "hr/people/*"];

    private readonly Random _random = new(20_261_125);

    public (Agent Agent, int AutonomyLevel) Create(int index)
    {
        var owner = owners[index % owners.Count];
        var backup = _random.NextDouble() < 0.6 ? owners[(index % owners.Count + 1 + _random.Next(owners.Count - 1)) % owners.Count] : null;
        var registeredAt = now - TimeSpan.FromMinutes(_random.Next(0, 730 * 24 * 60));
        var agent = Agent.Register(AgentId.New(registeredAt), Profile(index), Candidate(owner), backup is null ? null : Candidate(backup), registeredAt).Value;

        Attest(agent, owner, registeredAt);
        ChangeStatus(agent);
        return (agent, Pick([0.4, 0.3, 0.2, 0.1]));
    }

    private AgentProfile Profile(int index)
    {
        var subject = Subjects[_random.Next(Subjects.Length)];
        var name = $"{subject} {Roles[_random.Next(Roles.Length)]} {index:D5}";
        var tags = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => Tags[_random.Next(Tags.Length)]).ToList();
        var scopes = Enumerable.Range(0, _random.Next(1, 3))
            .Select(_ => ResourceScope.Create(ScopePatterns[_random.Next(ScopePatterns.Length)]).Value).ToList();
        var caps = _random.NextDouble() < 0.3
            ? new ImpactCaps(MaxRecordsPerAction: 100, MaxAmountPerAction: 500m, DailyRecordBudget: 10_000, DailyAmountBudget: 20_000m, Currency: "EUR")
            : ImpactCaps.None;
        return new AgentProfile(
            name,
            $"Handles {subject.ToLowerInvariant()} work for the {Segments[index % Segments.Length]} team.",
            Segments[_random.Next(Segments.Length)],
            tags,
            Tools(),
            scopes,
            _random.Next(1, 11) * 60,
            caps);
    }

    /// <summary>One tool at the agent's highest tier, plus up to two less risky ones.</summary>
    private List<ToolDeclaration> Tools()
    {
        var highest = Pick([0.4, 0.3, 0.2, 0.1]);
        var tools = new List<ToolDeclaration> { Choose(ToolsByRisk[highest]) };
        for (var extra = _random.Next(0, 3); extra > 0 && highest > 0; extra--)
            tools.Add(Choose(ToolsByRisk[_random.Next(highest)]));
        return tools.DistinctBy(t => t.Name).ToList();
    }

    /// <summary>Most agents attested within the period; about one in five is due or overdue.</summary>
    private void Attest(Agent agent, string owner, DateTimeOffset registeredAt)
    {
        var daysAgo = _random.NextDouble() < 0.8 ? _random.Next(0, 80) : _random.Next(84, 200);
        var attestedAt = now - TimeSpan.FromDays(daysAgo) - TimeSpan.FromMinutes(_random.Next(0, 24 * 60));
        if (attestedAt > registeredAt)
            Check(agent.Attest(new UserId(owner), attestedAt));
    }

    private void ChangeStatus(Agent agent)
    {
        var at = now - TimeSpan.FromDays(_random.Next(0, 30));
        var roll = _random.NextDouble();
        if (roll < 0.05)
            Check(agent.Retire("decommissioned", at));
        else if (roll < 0.13)
            Check(agent.Suspend("paused for review", at));
        else if (roll < 0.14)
            Check(agent.Contain("tripped a containment rule", at));

        if (_random.NextDouble() < 0.02 && agent.MarkOrphaned(at))
            agent.OfferToBackup(at);
    }

    private int Pick(double[] weights)
    {
        var roll = _random.NextDouble();
        for (var i = 0; i < weights.Length; i++)
        {
            if ((roll -= weights[i]) < 0)
                return i;
        }
        return weights.Length - 1;
    }

    private T Choose<T>(T[] items) => items[_random.Next(items.Length)];

    private static ToolDeclaration Tool(string name, RiskTier risk, OperationKind operation) => new(name, [operation], risk);

    private static OwnerCandidate Candidate(string userId) => new(new UserId(userId), IsActive: true, HoldsAgentOwnerRole: true);

    private static void Check(Warden.Domain.Result result)
    {
        if (result.IsFailure)
            throw new InvalidOperationException(result.Error.ToString());
    }
}
