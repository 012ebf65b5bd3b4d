using Bunit;
using Warden.Components.Layout;
using Warden.Domain.People;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class NavMenuTests(WardenAppFactory app) : ComponentTestBase(app)
{
    public static TheoryData<string> AllRoles => [.. Roles.All];

    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task NavMenu_ForEachRole_ShowsExactlyThatRolesLinks(string role)
    {
        await SignInAsync(DemoAccounts.ForRole(role));
        var expected = NavigationCatalog.VisibleTo(new HashSet<string>([role])).Select(e => e.TestId).ToList();
        if (role == Roles.Administrator)
            expected.Add("nav-ops-jobs");

        var menu = Render<NavMenu>();

        var shown = menu.FindAll("[data-testid^='nav-']").Select(e => e.GetAttribute("data-testid")!).ToList();
        shown.ShouldBe(expected, ignoreOrder: true);
    }

    [Theory]
    [InlineData(DemoAccounts.Officer, true)]
    [InlineData(DemoAccounts.Auditor, false)]
    public async Task TheApprovalsBadge_WithARequestWaiting_IsShownOnlyToThoseWhoCanVote(string email, bool shown)
    {
        await ApprovalScenario.HoldAsync(App);
        await SignInAsync(email);

        var menu = Render<NavMenu>();

        menu.WaitForAssertion(() => menu.FindAll("[data-testid='nav-approvals']").ShouldHaveSingleItem(), TimeSpan.FromSeconds(10));
        if (shown)
            menu.WaitForAssertion(() => menu.FindAll("[data-testid='approvals-badge']").ShouldHaveSingleItem(), TimeSpan.FromSeconds(10));
        else
            menu.FindAll("[data-testid='approvals-badge']").ShouldBeEmpty();
    }
}
