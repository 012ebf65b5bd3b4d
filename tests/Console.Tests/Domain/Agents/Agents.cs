using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Tests.Domain.Agents;

/// <summary>Builders for agents in a known, valid state.</summary>
internal static class Agents
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    public static readonly OwnerCandidate Olivia = new(new UserId("olivia"), IsActive: true, HoldsAgentOwnerRole: true);
    public static readonly OwnerCandidate Oscar = new(new UserId("oscar"), IsActive: true, HoldsAgentOwnerRole: true);
    public static readonly OwnerCandidate Dora = new(new UserId("dora-disabled"), IsActive: false, HoldsAgentOwnerRole: true);
    public static readonly OwnerCandidate Quinn = new(new UserId("quinn-no-role"), IsActive: true, HoldsAgentOwnerRole: false);

    public static AgentProfile Profile(string name = "Invoice clerk") => new(
        name,
        "Reconciles supplier invoices against purchase orders.",
        "finance",
        ["billing", "eu"],
        [new ToolDeclaration("erp.invoices", [OperationKind.Read, OperationKind.Write], RiskTier.Medium)],
        [ResourceScope.Create("erp/invoices/*").Value],
        60,
        new ImpactCaps(MaxRecordsPerAction: 10, MaxAmountPerAction: 500m, DailyRecordBudget: 1000, DailyAmountBudget: 10_000m, Currency: "EUR"));

    public static Agent Active(OwnerCandidate? owner = null, OwnerCandidate? backup = null) =>
        Agent.Register(AgentId.New(Now), Profile(), owner ?? Olivia, backup, Now).Value;

    public static Agent Suspended()
    {
        var agent = Active();
        agent.Suspend("investigating", Now).IsSuccess.ShouldBeTrue();
        return agent;
    }
}
