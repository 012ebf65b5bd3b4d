using System.Diagnostics;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// The big red button: an officer contains every agent, the demo agents are refused at once, the red
/// banner shows on every page for everyone, and after officer2 completes the two-officer release the
/// demo agents work again with new tokens.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ContainmentJourneyTests(ConsoleFixture console)
{
    private const string Officer = "officer@warden.example";
    private const string Officer2 = "officer2@warden.example";
    private const string Owner = "owner@warden.example";
    private static readonly TimeSpan DemoWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheGlobalKillSwitch_StopsTheDemoAgents_ShowsEverywhere_AndTwoOfficersReleaseIt()
    {
        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);
        await officer.GotoAsync("/containment");
        var dialogPhrase = officer.GetByTestId("kill-phrase");
        await officer.GetByTestId("kill-all").ClickUntilVisibleAsync(dialogPhrase);
        await dialogPhrase.FillAsync("CONTAIN ALL AGENTS");
        await officer.GetByTestId("kill-reason").FillAsync("E2E: incident drill");
        await officer.GetByTestId("kill-confirm").ClickAsync();
        var row = officer.Locator("[data-testid='containment-row'][data-scope='global']");
        await row.WaitForAsync();
        await officer.GetByTestId("global-containment-banner").WaitForAsync();

        // The banner is on every page, for every role.
        var owner = await console.OpenPageAsync();
        await owner.SignInAsync(Owner);
        foreach (var path in new[] { "/", "/agents" })
        {
            await owner.GotoAsync(path);
            (await owner.GetByTestId("global-containment-banner").InnerTextAsync()).ShouldContain("E2E: incident drill");
        }
        await owner.SaveScreenshotAsync("containment-banner-owner");

        // A demo agent asks again and is refused: the trip's time to first refusal gets measured.
        var refusal = row.GetByTestId("ttc-refused");
        var waited = Stopwatch.StartNew();
        while ((await refusal.InnerTextAsync()).Trim() == "—")
        {
            if (waited.Elapsed > DemoWait)
                throw new ShouldAssertException("no demo agent request was refused after the trip");
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await officer.ReloadAsync();
            await row.WaitForAsync();
        }
        (await refusal.InnerTextAsync()).ShouldEndWith("ms");
        (await row.GetByTestId("ttc-revoked").InnerTextAsync()).ShouldEndWith("ms");
        await officer.SaveScreenshotAsync("containment-global-active");

        // Two officers release it: the tripper approves, officer2 completes the release.
        await ApproveReleaseAsync(officer, "E2E: drill over, first approval", "Your approval is recorded");
        var second = await console.OpenPageAsync();
        await second.SignInAsync(Officer2);
        await second.GotoAsync("/containment");
        await ApproveReleaseAsync(second, "E2E: drill over, second approval", "Released.");
        await second.Locator("[data-testid='containment-history-row']").First.WaitForAsync();
        (await second.GetByTestId("global-containment-banner").CountAsync()).ShouldBe(0);
        await owner.ReloadAsync();
        await owner.GetByTestId("nav").WaitForAsync();
        (await owner.GetByTestId("global-containment-banner").CountAsync()).ShouldBe(0);

        // Demo traffic resumes with new tokens: decisions of demo agents reach the audit log after the release.
        await second.GotoAsync("/audit");
        waited.Restart();
        while (!await DecisionAfterReleaseAsync(second))
        {
            if (waited.Elapsed > DemoWait)
                throw new ShouldAssertException("the demo agents did not resume after the release");
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await second.ReloadAsync();
        }
        await second.SaveScreenshotAsync("containment-released-traffic-resumed");

        await officer.Context.CloseAsync();
        await second.Context.CloseAsync();
        await owner.Context.CloseAsync();
    }

    private static async Task ApproveReleaseAsync(IPage page, string reason, string expected)
    {
        var input = page.GetByTestId("reason-input");
        await page.Locator("[data-testid='containment-row'][data-scope='global']").GetByTestId("release").ClickUntilVisibleAsync(input);
        await input.FillAsync(reason);
        await page.GetByTestId("reason-confirm").ClickAsync();
        await page.Locator(".mud-snackbar", new() { HasText = expected }).WaitForAsync();
    }

    // The log lists the newest first: a demo decision above the release event came after it.
    private static async Task<bool> DecisionAfterReleaseAsync(IPage page)
    {
        await page.Locator("[data-testid='audit-events'] tbody tr").First.WaitForAsync();
        var kinds = await page.Locator("[data-testid='audit-events'] tbody tr td[data-label='Kind']").AllInnerTextsAsync();
        var subjects = await page.Locator("[data-testid='audit-events'] tbody tr td[data-label='Subject']").AllInnerTextsAsync();
        var released = kinds.Select(k => k.Trim()).ToList().IndexOf("containment.released");
        if (released < 0)
            return false;
        return Enumerable.Range(0, released).Any(i => kinds[i].Trim().StartsWith("decision.", StringComparison.Ordinal)
                                                      && subjects[i].Trim().StartsWith("agt_demo_", StringComparison.Ordinal));
    }
}
