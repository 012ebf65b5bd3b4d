using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;
using static Warden.Tests.Domain.Decisions.ContextBuilder;

namespace Warden.Tests.Domain.Decisions;

/// <summary>When several steps would refuse, the earliest step in the pipeline names the reason.</summary>
public sealed class DecisionOrderTests
{
    [Fact]
    public void Decide_WhenContainedAgentAsksForUnknownTool_SaysContained()
    {
        var context = (Default with { Containment = Rules.Containing(everything: true) })
            .WithRequest("shell.exec", OperationKind.Execute, "nowhere").Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.Contained);
    }

    [Fact]
    public void Decide_WhenSuspendedAgentAsksForUnknownTool_SaysNotActive()
    {
        var context = Default.WithAgent(a => a with { Status = AgentStatus.Suspended })
            .WithRequest("shell.exec", OperationKind.Execute, "nowhere").Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.AgentNotActive);
    }

    [Fact]
    public void Decide_WhenUnknownToolIsAlsoOutOfScope_SaysToolNotAllowed()
    {
        var context = Default.WithRequest("shell.exec", OperationKind.Execute, "hr/salaries").Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.ToolNotAllowed);
    }

    [Fact]
    public void Decide_WhenRateLimitedRequestIsOutOfScope_SaysResourceOutOfScope()
    {
        var context = (Default with { Usage = new UsageView(1_000, 0, 0m) })
            .WithRequest("crm.notes", OperationKind.Write, "hr/salaries/1").Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.ResourceOutOfScope);
        decision.RetryAfter.ShouldBeNull();
    }

    [Fact]
    public void Decide_WhenRateLimitedRequestAlsoExceedsCaps_SaysRateLimited()
    {
        var context = (Default with { Usage = new UsageView(60, 0, 0m) })
            .WithRequest("erp.invoices", OperationKind.Write, "erp/invoices/1", records: 10_000).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.RateLimited);
    }

    [Fact]
    public void Decide_WhenCapIsExceededAndPolicyAllows_StillDeniesAsCapExceeded()
    {
        var context = Default.WithRequest("erp.invoices", OperationKind.Write, "erp/invoices/1", records: 101)
            .WithRules(Rules.Allow("allow-everything")).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.CapExceeded);
    }

    [Fact]
    public void Decide_WhenToolIsNotAllowedAndPolicyAllowsIt_StillDeniesAsToolNotAllowed()
    {
        var context = Default.WithRequest("shell.exec", OperationKind.Execute, "crm/x")
            .WithRules(Rules.Allow("allow-shell", new PolicyMatch { Tools = ["shell.exec"] })).Build();

        var decision = DecisionEngine.Decide(context);

        decision.PrimaryReason.Code.ShouldBe(DecisionCodes.ToolNotAllowed);
    }
}
