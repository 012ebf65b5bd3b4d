using Warden.Domain.Agents;

namespace Warden.Tests.Domain.Agents;

public sealed class AgentIdTests
{
    [Fact]
    public void New_HasReadablePrefixAndRoundTripsThroughParse()
    {
        var id = AgentId.New(Agents.Now);

        id.Value.ShouldStartWith("agt_");
        id.Value.Length.ShouldBe(30);
        AgentId.Parse(id.Value).ShouldBe(id);
    }

    [Fact]
    public void New_LaterIdsSortAfterEarlierOnes()
    {
        var earlier = AgentId.New(Agents.Now);
        var later = AgentId.New(Agents.Now.AddMilliseconds(1));

        string.CompareOrdinal(earlier.Value, later.Value).ShouldBeLessThan(0);
    }

    [Fact]
    public void New_NeverRepeatsWithinTheSameMillisecond()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => AgentId.New(Agents.Now)).ToHashSet();

        ids.Count.ShouldBe(10_000);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("agt_")]
    [InlineData("usr_01JZ0000000000000000000000")]
    [InlineData("agt_01JZ000000000000000000000U")]
    [InlineData("agt_01jz0000000000000000000000")]
    public void TryParse_RejectsAnythingButTheFormat(string? text)
    {
        AgentId.TryParse(text, out _).ShouldBeFalse();
    }
}
