using Warden.Domain.Agents;

namespace Warden.Tests.Domain.Agents;

public sealed class ResourceScopeTests
{
    [Theory]
    [InlineData("crm/accounts/*", "crm/accounts/42", true)]
    [InlineData("crm/accounts/*", "crm/accounts/42/notes", false)]
    [InlineData("crm/accounts/*", "crm/accounts", false)]
    [InlineData("crm/accounts/*", "crm/contacts/42", false)]
    [InlineData("crm/**", "crm/accounts/42/notes", true)]
    [InlineData("crm/**", "crm", false)]
    [InlineData("crm/accounts/42", "crm/accounts/42", true)]
    [InlineData("crm/accounts/42", "CRM/accounts/42", false)]
    [InlineData("crm/*/notes", "crm/7/notes", true)]
    [InlineData("crm/*", "crm/", false)]
    [InlineData("crm/**", "crm/x/../../../secrets/master", false)]
    [InlineData("crm/**", "crm/..", false)]
    [InlineData("crm/*/notes", "crm/../notes", false)]
    [InlineData("crm/**", "crm/./accounts", false)]
    [InlineData("crm/**", "crm/x/%2e%2e/%2E%2E/secrets", false)]
    [InlineData("crm/**", "crm/x/..%2f..%2fsecrets", false)]
    [InlineData("crm/**", "crm/x/%252e%252e/secrets", false)]
    [InlineData("crm/**", "crm/x\\..\\..\\secrets", false)]
    [InlineData("crm/**", "crm/files/Q3%20report..pdf", true)]
    [InlineData("crm/**", "crm/accounts/42.json", true)]
    public void Matches_FollowsSegmentRules(string pattern, string resource, bool expected)
    {
        var scope = ResourceScope.Create(pattern).Value;

        scope.Matches(resource).ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("crm//accounts")]
    [InlineData("crm/**/accounts")]
    [InlineData("crm/acc*")]
    [InlineData("crm/accounts?id=1")]
    [InlineData("crm/ acc")]
    public void Create_WithInvalidPattern_IsRefusedWithTheRule(string pattern)
    {
        var result = ResourceScope.Create(pattern);

        result.IsFailure.ShouldBeTrue();
        result.Error.Code.ShouldBe("agent.invalid_scope");
    }

    [Fact]
    public void Create_WithOverlongPattern_IsRefused()
    {
        var result = ResourceScope.Create(new string('a', ResourceScope.MaxLength + 1));

        result.Error.Code.ShouldBe("agent.invalid_scope");
    }
}
