using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Tests.Domain.Agents;

namespace Warden.Tests.Domain.Decisions;

public sealed class DecisionInputTests
{
    [Theory]
    [InlineData("read", OperationKind.Read)]
    [InlineData("Write", OperationKind.Write)]
    [InlineData(" delete ", OperationKind.Delete)]
    [InlineData("execute", OperationKind.Execute)]
    public void Create_WithKnownOperationText_ParsesIt(string text, OperationKind expected)
    {
        var result = DecisionRequest.Create("crm.notes", text, "crm/a", null, null);

        result.Value.Operation.ShouldBe(expected);
        result.Value.Impact.ShouldBe(RequestImpact.None);
    }

    [Fact]
    public void Create_WithUnknownOperationText_FailsNamingIt()
    {
        var result = DecisionRequest.Create("crm.notes", "drop", "crm/a", null, null);

        result.Error.Code.ShouldBe("decision.unknown_operation");
        result.Error.Message.ShouldContain("drop");
    }

    [Fact]
    public void From_AnActiveAgent_CopiesWhatTheEngineNeeds()
    {
        var agent = Agents.Agents.Active();

        var view = AgentView.From(agent, attestationOverdueEnforced: true);

        view.Id.ShouldBe(agent.Id);
        view.OwnerId.ShouldBe(agent.OwnerId);
        view.Segment.ShouldBe("finance");
        view.Tools.ShouldBe(agent.Tools);
        view.RateLimitPerMinute.ShouldBe(60);
        view.Caps.ShouldBe(agent.Caps);
        view.AttestationOverdue.ShouldBeTrue();
        view.AttestationEnforced.ShouldBeTrue();
    }
}
