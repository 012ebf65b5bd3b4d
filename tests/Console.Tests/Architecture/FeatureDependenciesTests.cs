namespace Warden.Tests.Architecture;

/// <summary>The reader behind <see cref="FeatureDirectionTests"/>, on small features made to break the rules.</summary>
public sealed class FeatureDependenciesTests
{
    private static readonly FeatureRanks Ranks = new([["Low", "Peer"], ["High"]]);

    private static readonly FeatureGraph Fixture = FeatureDependencies.Of(typeof(FeatureDependenciesTests).Assembly, "Warden.Tests.Architecture.Fixture.Features");

    [Theory]
    [InlineData("Low -> High via Derived uses Base")]
    [InlineData("Low -> High via FieldUser uses Thing")]
    [InlineData("Low -> High via BodyUser uses Thing")]
    [InlineData("Low -> High via LambdaUser uses Calculator")]
    [InlineData("Low -> High via AsyncUser uses Calculator")]
    [InlineData("Low -> High via GenericUser uses Item")]
    [InlineData("Low -> High via AttributeUser uses Marker")]
    [InlineData("Low -> Peer via PeerUser uses Neighbour")]
    public void BackEdges_WhenALowerFeatureUsesAHigherOrPeerOne_NameTheEdge(string edge)
    {
        var backEdges = Ranks.BackEdges(Fixture).Select(e => e.ToString());

        backEdges.ShouldContain(edge);
    }

    [Fact]
    public void BackEdges_WhenAHigherFeatureUsesALowerOne_AreEmptyForThatUse()
    {
        var backEdges = Ranks.BackEdges(Fixture);

        Fixture.Dependencies.Select(d => d.ToString()).ShouldContain("High -> Low via UsesLow uses Plain");
        backEdges.ShouldNotContain(e => e.From == "High");
    }

    [Fact]
    public void Unranked_WhenAFeatureHasNoRow_NamesIt()
    {
        var unranked = Ranks.Unranked(Fixture);

        unranked.ShouldBe(["Unplaced"]);
    }
}
