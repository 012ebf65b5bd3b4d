using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// An officer rolls back an action that ran: the demo support agent's reply to a ticket, approved by
/// the officer and reported done, is undone from the agent page through the demo's compensating
/// webhook, and the officer sees the webhook's answer beside the action.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RollbackJourneyTests(ConsoleFixture console)
{
    private const string Officer = "officer@warden.example";
    private const string Support = "agt_demo_support";

    [Fact]
    public async Task AnOfficerRollsBackAReplyFromTheAgentPage_AndSeesTheCompensatingCallsAnswer()
    {
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, Support);
        var ticket = Random.Shared.Next(10000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var held = await DemoAgentApi.DecideAsync(http, token, new
        {
            tool = "tickets.reply",
            operation = "write",
            resource = $"helpdesk/tickets/{ticket}",
            parameters = new { ticketId = ticket, body = "E2E: your refund is on its way." },
            impact = new { records = 1 },
            justification = "E2E: customer asked about a refund",
        });
        held.GetProperty("outcome").GetString().ShouldBe("pending", held.ToString());
        var decisionId = held.GetProperty("id").GetString()!;
        var requestId = held.GetProperty("approval").GetProperty("id").GetString()!;

        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);
        await officer.GotoAsync("/approvals");
        var card = officer.Locator($"[data-testid='queue-detail'] [data-testid='approval-card'][data-request='{requestId}']");
        await officer.Locator($"[data-testid='queue-row'][data-request='{requestId}']").ClickUntilVisibleAsync(card);
        await ApproveAsync(officer, card);
        await ReportDoneAsync(http, token, decisionId);

        await officer.GotoAsync($"/agents/{Support}");
        var action = officer.Locator($"[data-testid='recent-action'][data-decision='{decisionId}']");
        var status = action.Locator("[data-testid='rollback-status'][data-state='succeeded']");
        await action.GetByTestId($"rollback-{decisionId}").ClickUntilVisibleAsync(status);

        (await status.GetByTestId("rollback-answer").InnerTextAsync()).ShouldContain("HTTP 200");
        (await status.GetByTestId("rollback-excerpt").InnerTextAsync()).ShouldContain(ticket);
        await officer.SaveScreenshotAsync("rollback-agent-page");
        await officer.Context.CloseAsync();
    }

    private static async Task ApproveAsync(IPage page, ILocator card)
    {
        var confirmation = page.Locator(".mud-snackbar", new() { HasText = "Approved." });
        for (var attempt = 1; ; attempt++)
        {
            if (await confirmation.IsVisibleAsync() || (attempt > 1 && !await card.IsVisibleAsync()))
                return;
            try
            {
                await card.GetByTestId("approval-reason").FillAsync("E2E: reply checked", new() { Timeout = 5_000 });
                await card.GetByTestId("approval-approve").ClickAsync(new() { Timeout = 5_000 });
                await confirmation.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 2_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 10)
            {
            }
        }
    }

    /// <summary>The agent reads its approved decision's grant and reports the reply sent.</summary>
    private static async Task ReportDoneAsync(HttpClient http, string token, string decisionId)
    {
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/decisions/{decisionId}?waitSeconds=10");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var answer = await http.SendAsync(read, TestContext.Current.CancellationToken);
        var decision = await answer.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        decision.GetProperty("outcome").GetString().ShouldBe("allow", decision.ToString());
        using var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/decisions/{decisionId}/outcome")
        {
            Content = JsonContent.Create(new { grant = decision.GetProperty("grant").GetProperty("token").GetString(), status = "succeeded", records = 1, detail = "reply sent" }),
        };
        report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var reported = await http.SendAsync(report, TestContext.Current.CancellationToken);
        reported.EnsureSuccessStatusCode();
    }
}
