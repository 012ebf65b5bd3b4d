using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// A held action with a preview: the officer sees what it would change on the card (the diff in a
/// monospace block), approves it, and the agent, waiting on its decision, gets a grant and runs it,
/// reporting the preview it ran.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PreviewApprovalJourneyTests(ConsoleFixture console)
{
    private const string Officer = "officer@warden.example";
    private const string Agent = "agt_demo_codereview";

    [Fact]
    public async Task AnOfficerSeesThePreviewOfAHeldMerge_ApprovesIt_AndTheAgentRunsItWithItsGrant()
    {
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, Agent);
        var pull = Random.Shared.Next(1000, 9999);
        var held = await DemoAgentApi.DecideAsync(http, token, new
        {
            tool = "repo.merge",
            operation = "write",
            resource = $"git/warden/pulls/{pull}",
            parameters = new { pull },
            justification = "E2E: two reviews passed",
            preview = new
            {
                summary = $"Merge pull request {pull} into main",
                changes = "--- a/src/app.cs\n+++ b/src/app.cs\n-    var limit = 10;\n+    var limit = 20;",
                records = new[] { $"git/warden/pulls/{pull}" },
            },
        });
        held.GetProperty("outcome").GetString().ShouldBe("pending", held.ToString());
        var decisionId = held.GetProperty("id").GetString()!;
        var requestId = held.GetProperty("approval").GetProperty("id").GetString()!;
        var digest = held.GetProperty("previewDigest").GetString()!;

        var page = await console.OpenPageAsync();
        await page.SignInAsync(Officer);
        await page.GotoAsync($"/approvals/{requestId}");
        var card = page.Locator($"[data-testid='approval-card'][data-request='{requestId}']");
        await card.GetByTestId("approval-preview").WaitForAsync();
        (await card.GetByTestId("approval-preview-summary").InnerTextAsync()).ShouldBe($"Merge pull request {pull} into main");
        (await card.GetByTestId("approval-preview-changes").InnerTextAsync()).ShouldContain("+    var limit = 20;");
        (await card.GetByTestId("approval-preview").GetAttributeAsync("data-digest")).ShouldBe(digest);
        await page.SaveScreenshotAsync("approval-preview");

        await ApproveAsync(page, card, "E2E: the diff matches the reviewed change");
        var approved = await WaitForDecisionAsync(http, token, decisionId);
        approved.GetProperty("outcome").GetString().ShouldBe("allow", approved.ToString());
        using var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/decisions/{decisionId}/outcome")
        {
            Content = JsonContent.Create(new { grant = approved.GetProperty("grant").GetProperty("token").GetString(), status = "succeeded", previewDigest = digest }),
        };
        report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var reported = await http.SendAsync(report, TestContext.Current.CancellationToken);

        reported.IsSuccessStatusCode.ShouldBeTrue(await reported.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await page.Context.CloseAsync();
    }

    private static async Task<JsonElement> WaitForDecisionAsync(HttpClient http, string token, string decisionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/decisions/{decisionId}?waitSeconds=20");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    // A reason typed before the live circuit attached is lost when it does, so each attempt types it again.
    private static async Task ApproveAsync(IPage page, ILocator card, string reason)
    {
        var confirmation = page.Locator(".mud-snackbar", new() { HasText = "Approved." });
        for (var attempt = 1; ; attempt++)
        {
            if (await confirmation.IsVisibleAsync())
                return;
            try
            {
                await card.GetByTestId("approval-reason").FillAsync(reason, new() { Timeout = 5_000 });
                await card.GetByTestId("approval-approve").ClickAsync(new() { Timeout = 5_000 });
                await confirmation.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 2_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 10)
            {
            }
        }
    }
}
