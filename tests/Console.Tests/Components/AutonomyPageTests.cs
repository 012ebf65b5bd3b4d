using Bunit;
using Warden.Features.Autonomy;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class AutonomyPageTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AutonomyPage_ForAnOwner_OpensOnReadiness()
    {
        await SignInAsync(DemoAccounts.Owner);
        RenderPopoverProvider();

        var page = Render<AutonomyPage>();

        page.WaitForAssertion(() => ActiveTab(page).ShouldBe("Readiness"), Patience);
        page.WaitForAssertion(() => page.FindAll("[data-testid='readiness-card'], [data-testid='readiness-empty']").ShouldNotBeEmpty(), Patience);
        page.FindAll("[data-testid='autonomy-read-only']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AutonomyPage_ForAnOfficer_OpensOnOpenRequests()
    {
        await SignInAsync(DemoAccounts.Officer);
        RenderPopoverProvider();

        var page = Render<AutonomyPage>();

        page.WaitForAssertion(() => ActiveTab(page).ShouldStartWith("Open requests"), Patience);
        page.FindAll("[data-testid='readiness-card'], [data-testid='readiness-empty']").ShouldBeEmpty();
        page.FindAll("[data-testid='autonomy-read-only']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AutonomyPage_ForAnAuditor_SaysItIsReadOnly()
    {
        await SignInAsync(DemoAccounts.Auditor);
        RenderPopoverProvider();

        var page = Render<AutonomyPage>();

        page.WaitForAssertion(() => page.Find("[data-testid='autonomy-read-only']").TextContent.ShouldContain("read-only for you"), Patience);
    }

    private static string ActiveTab(IRenderedComponent<AutonomyPage> page) =>
        page.Find("[role='tab'][aria-selected='true']").TextContent.Trim();
}
