using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Policies;

namespace Warden.Tests.Domain.Decisions;

/// <summary>Builds decision contexts that pass every step unless a test changes one thing.</summary>
internal sealed record ContextBuilder
{
    // A Wednesday, midday UTC.
    public static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 30, TimeSpan.Zero);

    public static readonly AgentView DefaultAgent = new(
        AgentId.Parse("agt_0000000000000000000000000A"),
        new UserId("olivia"),
        "finance",
        ["billing"],
        AgentStatus.Active,
        AutonomyLevel: 1,
        [
            new ToolDeclaration("crm.read", [OperationKind.Read], RiskTier.Low),
            new ToolDeclaration("crm.notes", [OperationKind.Read, OperationKind.Write], RiskTier.Low),
            new ToolDeclaration("erp.invoices", [OperationKind.Read, OperationKind.Write, OperationKind.Delete], RiskTier.Medium),
            new ToolDeclaration("payments.send", [OperationKind.Execute], RiskTier.High),
            new ToolDeclaration("db.admin", [OperationKind.Read, OperationKind.Execute], RiskTier.Critical),
        ],
        [ResourceScope.Create("crm/**").Value, ResourceScope.Create("erp/invoices/*").Value, ResourceScope.Create("payments/*").Value, ResourceScope.Create("prod/**").Value],
        RateLimitPerMinute: 60,
        new ImpactCaps(MaxRecordsPerAction: 100, MaxAmountPerAction: 5_000m, DailyRecordBudget: 1_000, DailyAmountBudget: 20_000m, Currency: "EUR"));

    public AgentView Agent { get; init; } = DefaultAgent;
    public IContainmentView Containment { get; init; } = ContainmentView.None;
    public UsageView Usage { get; init; } = UsageView.None;
    public DecisionRequest Request { get; init; } = new("crm.notes", OperationKind.Write, "crm/accounts/42", RequestImpact.None);
    public IReadOnlyList<GuardrailFinding> Findings { get; init; } = [];
    public Policy Policy { get; init; } = new("test-1", []);
    public DateTimeOffset Now { get; init; } = Noon;
    public ToolCompensation Compensation { get; init; } = ToolCompensation.Unknown;

    public static ContextBuilder Default => new();

    public ContextBuilder WithRequest(string tool, OperationKind operation, string resource, int records = 0, decimal amount = 0m, string? currency = "EUR") =>
        this with { Request = new DecisionRequest(tool, operation, resource, new RequestImpact(records, amount, currency)) };

    public ContextBuilder WithAgent(Func<AgentView, AgentView> change) => this with { Agent = change(Agent) };

    public ContextBuilder WithRules(params PolicyRule[] rules) => this with { Policy = new Policy("test-1", rules) };

    public ContextBuilder WithCompensation(ToolCompensation compensation) => this with { Compensation = compensation };

    public DecisionContext Build() => new(Agent, Containment, Usage, Request, Findings, Policy, Now) { Compensation = Compensation };
}

internal static class Rules
{
    public static PolicyRule Deny(string id, PolicyMatch? match = null, string message = "No.") =>
        new(id, $"{id} description", match ?? PolicyMatch.Any, PolicyEffect.Deny(message));

    public static PolicyRule Approve(string id, PolicyMatch? match = null, int approvers = 1, int expiryMinutes = 15) =>
        new(id, $"{id} description", match ?? PolicyMatch.Any, PolicyEffect.RequireApproval(approvers, expiryMinutes).Value);

    public static PolicyRule Allow(string id, PolicyMatch? match = null) =>
        new(id, $"{id} description", match ?? PolicyMatch.Any, PolicyEffect.Allow);

    public static PolicyRule AllowReviewedAfter(string id, PolicyMatch? match = null) =>
        new(id, $"{id} description", match ?? PolicyMatch.Any, PolicyEffect.AllowWithReview);

    public static ContainmentView Containing(AgentId? agent = null, UserId? owner = null, string? segment = null, bool everything = false) => new(
        everything,
        agent is { } a ? new HashSet<AgentId> { a } : [],
        owner is { } o ? new HashSet<UserId> { o } : [],
        segment is { } s ? new HashSet<string> { s } : []);
}
