using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Warden.Features.Policies;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class PoliciesPageTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PoliciesPage_DraftAndItsCheck_AreStillThereAfterTheOfficerOpensAnotherTab()
    {
        await SignInAsync(DemoAccounts.Officer);
        var page = Render<PoliciesPage>();
        page.WaitForAssertion(() => page.Find("[data-testid='policy-in-force']"), Patience);
        var draft = DefaultPolicy.Yaml + "\n# reviewed with the auditors\n";

        await Tab(page, "Editor").ClickAsync(new MouseEventArgs());
        await page.Find("textarea[data-testid='policy-editor']").InputAsync(new ChangeEventArgs { Value = draft });
        await page.Find("[data-testid='policy-check']").ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => page.Find("[data-testid='policy-check-summary']"), Patience);
        await Tab(page, "Versions").ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => page.Find("[data-testid='policy-versions']"), Patience);
        await Tab(page, "Editor").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => page.Find("textarea[data-testid='policy-editor']").GetAttribute("value").ShouldBe(draft), Patience);
        page.Find("[data-testid='policy-check-summary']").TextContent.ShouldContain("can be published");
    }

    [Theory]
    [InlineData(DemoAccounts.Auditor, true)]
    [InlineData(DemoAccounts.Owner, true)]
    [InlineData(DemoAccounts.Officer, false)]
    public async Task PoliciesPage_SaysItIsReadOnly_ToThoseWhoCannotChangePolicies(string email, bool readOnly)
    {
        await SignInAsync(email);

        var page = Render<PoliciesPage>();

        page.WaitForAssertion(() => page.Find("[data-testid='policy-in-force']"), Patience);
        page.FindAll("[data-testid='read-only-notice']").Count.ShouldBe(readOnly ? 1 : 0);
    }

    [Fact]
    public async Task PacksTab_OfficerAdoptsAPack_TheEditorHoldsTheDraftThatAdoptsIt()
    {
        await SignInAsync(DemoAccounts.Officer);
        var page = Render<PoliciesPage>();
        page.WaitForAssertion(() => page.Find("[data-testid='policy-in-force']"), Patience);

        await Tab(page, "Packs").ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => page.Find("[data-testid='pack-tests-retail']").TextContent.ShouldContain("pass"), Patience);
        await page.Find("[data-testid='pack-adopt-retail']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => (page.Find("textarea[data-testid='policy-editor']").GetAttribute("value") ?? string.Empty).ShouldContain("id: retail, version: 1"), Patience);
    }

    private static IElement Tab(IRenderedComponent<PoliciesPage> page, string name) =>
        page.FindAll("[role='tab']").Single(t => t.TextContent.Trim() == name);
}
