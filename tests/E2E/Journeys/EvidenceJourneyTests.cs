using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// An auditor generates today's pack, watches it build, downloads the PDF and verifies the pack on
/// the page against Warden's signing key.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class EvidenceJourneyTests(ConsoleFixture console)
{
    private const string Auditor = "auditor@warden.example";

    [Fact]
    public async Task AnAuditor_GeneratesTodaysPack_DownloadsThePdf_AndVerifiesIt()
    {
        var page = await console.OpenPageAsync();
        await page.SignInAsync(Auditor);
        await page.GotoAsync("/evidence");

        await page.GetByTestId("evidence-generate").ClickUntilVisibleAsync(page.GetByTestId("evidence-generate-result"));
        var progress = page.Locator("[data-testid^='evidence-progress-']").First;
        var pdfLink = page.Locator("[data-testid^='evidence-pdf-']").First;
        await progress.Or(pdfLink).First.WaitForAsync();
        await page.SaveScreenshotAsync("evidence-building");
        await pdfLink.WaitForAsync(new() { Timeout = 60_000 });
        await page.SaveScreenshotAsync("evidence-list");

        var href = await pdfLink.GetAttributeAsync("href");
        var download = await page.Context.APIRequest.GetAsync(console.Server.BaseAddress + href!.TrimStart('/'));
        var body = await download.BodyAsync();
        download.Status.ShouldBe(200);
        download.Headers["content-type"].ShouldBe("application/pdf");
        System.Text.Encoding.ASCII.GetString(body, 0, 5).ShouldBe("%PDF-");

        var verifyOption = page.Locator(".mud-popover-open .mud-list-item").First;
        await page.MudSelect("verify-pack").ClickUntilVisibleAsync(verifyOption);
        await verifyOption.ClickAsync();
        await page.GetByTestId("verify-stored").ClickAsync();
        var result = page.GetByTestId("verify-pack-result");
        await result.WaitForAsync();
        (await result.InnerTextAsync()).ShouldContain("verifies: every artifact matches its signed manifest");
        await page.SaveScreenshotAsync("evidence-verified");
    }
}
