using Warden.Domain.Agents;

namespace Warden.Tests.Domain.Agents;

public sealed class ScopeBreadthTests
{
    [Theory]
    [InlineData("**")]
    [InlineData("*")]
    [InlineData("/**")]
    [InlineData("**/")]
    [InlineData(" ** ")]
    [InlineData("*/**")]
    [InlineData("*/*")]
    [InlineData("*/*/**")]
    [InlineData("//*//")]
    public void MatchesEverything_APatternOfOnlyWildcards_IsTrue(string pattern)
    {
        ResourceScope.MatchesEverything(pattern).ShouldBeTrue();
    }

    [Theory]
    [InlineData("crm/**")]
    [InlineData("*/accounts")]
    [InlineData("./**")]
    public void MatchesEverything_APatternNamingASegment_IsFalse(string pattern)
    {
        ResourceScope.MatchesEverything(pattern).ShouldBeFalse();
    }

    [Theory]
    [InlineData("**", "crm/accounts/1", true)]
    [InlineData("crm/**", "crm/accounts/*", true)]
    [InlineData("crm/**", "crm/**", true)]
    [InlineData("crm/**", "crm", false)]
    [InlineData("crm/*", "crm/accounts", true)]
    [InlineData("crm/*", "crm/*", true)]
    [InlineData("crm/*", "crm/**", false)]
    [InlineData("crm/*", "crm/accounts/1", false)]
    [InlineData("crm/accounts", "crm/*", false)]
    [InlineData("crm/*/notes", "crm/1/notes", true)]
    [InlineData("crm/*/notes", "crm/1/*", false)]
    [InlineData("crm/accounts/*", "**", false)]
    public void Covers_IsTrueOnlyWhenEveryMatchIsProvablyMatched(string wider, string narrower, bool expected)
    {
        ResourceScope.Create(wider).Value.Covers(ResourceScope.Create(narrower).Value).ShouldBe(expected);
    }
}
