using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

[Collection(ConsoleCollection.Name)]
public sealed class RoleNavigationTests(ConsoleFixture console)
{
    public static TheoryData<string, string[]> NavigationByRole => new()
    {
        { "admin@warden.example", ["dashboard", "agents", "evidence", "notifications", "admin-users", "ops-jobs"] },
        { "officer@warden.example", ["dashboard", "agents", "approvals", "reviews", "containment", "incidents", "autonomy", "red-team", "guardrails", "policies", "gateway", "tools", "audit", "evidence", "compliance", "notifications"] },
        { "officer2@warden.example", ["dashboard", "agents", "approvals", "reviews", "containment", "incidents", "autonomy", "red-team", "guardrails", "policies", "gateway", "tools", "audit", "evidence", "compliance", "notifications"] },
        { "owner@warden.example", ["dashboard", "agents", "reviews", "containment", "incidents", "autonomy", "red-team", "policies", "gateway", "tools", "evidence", "notifications"] },
        { "owner2@warden.example", ["dashboard", "agents", "reviews", "containment", "incidents", "autonomy", "red-team", "policies", "gateway", "tools", "evidence", "notifications"] },
        { "auditor@warden.example", ["dashboard", "agents", "approvals", "reviews", "containment", "incidents", "autonomy", "red-team", "guardrails", "policies", "gateway", "tools", "audit", "evidence", "compliance", "notifications"] },
    };

    [Theory]
    [MemberData(nameof(NavigationByRole))]
    public async Task SigningIn_AsDemoPerson_ShowsExactlyTheirNavigationAndName(string email, string[] expected)
    {
        var page = await console.OpenPageAsync();

        await page.SignInAsync(email);

        (await page.NavigationTestIdsAsync()).ShouldBe(expected.Select(e => $"nav-{e}"), ignoreOrder: true);
        (await page.GetByTestId("signed-in-user").InnerTextAsync()).Trim().ShouldBe(email);
        if (email.StartsWith("admin@", StringComparison.Ordinal))
        {
            await page.GetByTestId("stat-active-people").WaitForAsync();
            await page.SaveScreenshotAsync("dashboard");
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndTheConsoleAsksForLoginAgain()
    {
        var page = await console.OpenPageAsync();
        await page.SignInAsync("auditor@warden.example");

        // The sign-out is a form; a click while the live circuit replaces the prerendered page can be
        // lost, so it is repeated until the login form shows.
        await page.GetByTestId("sign-out").ClickUntilVisibleAsync(page.GetByLabel("Email", new() { Exact = true }));

        await page.WaitForURLAsync(ConsolePageExtensions.LoginUrl());
        await page.GotoAsync("/");
        await page.WaitForURLAsync(ConsolePageExtensions.LoginUrl());
        (await page.GetByTestId("signed-in-user").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }
}
