using Warden.Domain.People;

namespace Warden.Tests.Domain.People;

public sealed class RolesTests
{
    [Theory]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.SecurityOfficer)]
    [InlineData(Roles.AgentOwner)]
    [InlineData(Roles.Auditor)]
    public void IsKnown_ForEachRoleOfTheConsole_IsTrue(string role)
    {
        var known = Roles.IsKnown(role);

        known.ShouldBeTrue();
    }

    [Theory]
    [InlineData("administrator")]
    [InlineData("SECURITYOFFICER")]
    [InlineData("Agent")]
    [InlineData("Administrator ")]
    [InlineData("")]
    public void IsKnown_ForAnythingElse_IsFalse(string role)
    {
        var known = Roles.IsKnown(role);

        known.ShouldBeFalse();
    }

    [Fact]
    public void All_ListsTheFourRolesOnce()
    {
        var all = Roles.All;

        all.ShouldBe([Roles.Administrator, Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor], ignoreOrder: true);
        all.Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public void Forbidden_NamesTheNeededRolesReadably()
    {
        var error = PersonErrors.Forbidden([Roles.SecurityOfficer, Roles.AgentOwner]);

        error.Code.ShouldBe("access.forbidden");
        error.Message.ShouldContain("Security officer or Agent owner");
    }
}
