using Bunit;
using Warden.Components.Shared;
using Warden.Domain.People;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class ReadOnlyNoticeTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private const string ActingRoles = $"{Roles.SecurityOfficer},{Roles.AgentOwner}";

    [Fact]
    public async Task ReadOnlyNotice_ForAnAuditor_SaysThePageIsReadOnlyAndWhoActs()
    {
        await SignInAsync(DemoAccounts.Auditor);

        var notice = Render<ReadOnlyNotice>(p => p.Add(n => n.ActingRoles, ActingRoles).Add(n => n.Who, "Officers contain agents."));

        notice.Find("[data-testid='read-only-notice']").TextContent.ShouldContain("This page is read-only for you. Officers contain agents.");
    }

    [Fact]
    public async Task ReadOnlyNotice_ForAnOwner_IsNotShown()
    {
        await SignInAsync(DemoAccounts.Owner);

        var notice = Render<ReadOnlyNotice>(p => p.Add(n => n.ActingRoles, ActingRoles).Add(n => n.Who, "Officers contain agents."));

        notice.FindAll("[data-testid='read-only-notice']").ShouldBeEmpty();
    }
}
