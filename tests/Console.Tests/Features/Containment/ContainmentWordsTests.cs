using Warden.Domain.Containment;
using Warden.Features.Containment;

namespace Warden.Tests.Features.Containment;

public sealed class ContainmentWordsTests
{
    private static ContainmentRow Row(ContainmentScope scope, string label, int agents) => new(
        "ctn_1", scope, "agt_1", label, "Unexpected writes to the ledger", TripSource.Person, "officer@warden.example",
        new DateTimeOffset(2026, 12, 6, 7, 0, 0, TimeSpan.Zero), agents, null, null, null, null, 1, [], null);

    [Fact]
    public void Released_ForAnAgent_NamesTheAgentTheTripAndItsReason()
    {
        var text = ContainmentWords.Released(Row(ContainmentScope.Agent, "Invoice matcher", 1));

        text.ShouldBe("the containment of agent Invoice matcher (1 agent, tripped 2026-12-06 07:00 UTC by officer@warden.example: Unexpected writes to the ledger)");
    }

    [Fact]
    public void Released_ForEverything_SaysEveryAgent()
    {
        var text = ContainmentWords.Released(Row(ContainmentScope.Global, "everything", 12));

        text.ShouldStartWith("the containment of every agent (12 agents, ");
    }
}
