using Bunit;
using Warden.Components.Layout;
using Warden.Domain.People;
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
}
