using System.Diagnostics;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// Two officers work the live queue the demo agents fill: one approves a single-approver request, the
/// two of them approve a critical one together, and the second officer's open queue follows every
/// change without a reload. The history then shows both votes.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ApprovalQueueJourneyTests(ConsoleFixture console)
{
    private const string Officer = "officer@warden.example";
    private const string Officer2 = "officer2@warden.example";
    private static readonly TimeSpan DemoWait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task OfficersApproveDemoRequests_TheOtherQueueUpdatesLive_AndTheHistoryShowsBothVotes()
    {
        var second = await console.OpenPageAsync();
        await second.SignInAsync(Officer2);
        await second.GotoAsync("/approvals");
        await second.GetByTestId("tab-queue").WaitForAsync();

        var first = await console.OpenPageAsync();
        await first.SignInAsync(Officer);
        await first.GotoAsync("/approvals");

        // A single-approver request: officer approves, and it leaves officer2's queue without a reload.
        var single = await WaitForCardAsync(first, required: 1);
        var singleId = (await single.GetAttributeAsync("data-request"))!;
        await second.Locator($"[data-testid='approval-card'][data-request='{singleId}']").WaitForAsync();
        await VoteAsync(first, single, "E2E: matches the change ticket", "Approved.");
        await second.Locator($"[data-testid='approval-card'][data-request='{singleId}']")
            .WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });

        // A critical request needs both: officer's vote shows up live on officer2's card, who completes it.
        // The demo agents send a payment now and then; one is sent here so the journey does not wait on chance.
        await SendPaymentAsync();
        var critical = await WaitForCardAsync(first, required: 2);
        var criticalId = (await critical.GetAttributeAsync("data-request"))!;
        await VoteAsync(first, critical, "E2E: first of two, invoice verified", "1 more needed");
        var secondCard = second.Locator($"[data-testid='approval-card'][data-request='{criticalId}']");
        await second.Locator($"[data-testid='approval-card'][data-request='{criticalId}'][data-approvals='1']").WaitForAsync(new() { Timeout = 10_000 });
        (await secondCard.GetByTestId("approval-vote").InnerTextAsync()).ShouldContain("E2E: first of two");
        await second.SaveScreenshotAsync("approvals-second-officer-live");
        await VoteAsync(second, secondCard, "E2E: second approval, supplier confirmed", "Approved.");
        await secondCard.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });

        await second.GetByRole(AriaRole.Tab, new() { Name = "History" }).ClickAsync();
        var history = second.Locator($"[data-testid='approval-card'][data-request='{criticalId}']");
        await history.WaitForAsync();
        var votes = await history.GetByTestId("approval-vote").AllInnerTextsAsync();
        votes.Count.ShouldBe(2);
        votes.ShouldContain(v => v.Contains("E2E: first of two", StringComparison.Ordinal));
        votes.ShouldContain(v => v.Contains("E2E: second approval", StringComparison.Ordinal));
        (await history.GetByTestId("approval-state").InnerTextAsync()).Trim().ShouldBe("Approved");
        await second.SaveScreenshotAsync("approvals-history");

        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    private async Task SendPaymentAsync()
    {
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, "agt_demo_payments");
        var answer = await DemoAgentApi.DecideAsync(http, token, new
        {
            tool = "payments.send",
            operation = "execute",
            resource = $"payments/suppliers/{Random.Shared.Next(1000, 9999)}",
            parameters = new { invoiceId = "INV-E2E" },
            impact = new { records = 1, amount = 120m, currency = "EUR" },
            justification = "E2E: supplier invoice due today",
        });
        answer.GetProperty("outcome").GetString().ShouldBe("pending", answer.ToString());
    }

    /// <summary>Waits (the queue is live, no reloads) for a card needing <paramref name="required"/> approvals and none yet.</summary>
    private static async Task<ILocator> WaitForCardAsync(IPage page, int required)
    {
        var card = page.Locator($"[data-testid='approval-card'][data-required='{required}'][data-approvals='0']").First;
        var waited = Stopwatch.StartNew();
        while (!await card.IsVisibleAsync())
        {
            if (waited.Elapsed > DemoWait)
                throw new ShouldAssertException($"no demo request needing {required} approval(s) reached the queue within {DemoWait.TotalSeconds:0} s");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        // Pin the card by its id, so later changes to the list do not move the locator to another card.
        var id = await card.GetAttributeAsync("data-request");
        return page.Locator($"[data-testid='approval-card'][data-request='{id}']");
    }

    // The card may leave the queue the moment the vote resolves it, so the confirmation is read from the snackbar.
    // A reason typed before the live circuit attached is lost when it does, so each attempt types it again.
    private static async Task VoteAsync(IPage page, ILocator card, string reason, string expected)
    {
        var confirmation = page.Locator(".mud-snackbar", new() { HasText = expected });
        for (var attempt = 1; ; attempt++)
        {
            if (await confirmation.IsVisibleAsync())
                return;
            // An earlier attempt's vote resolved the request and its snackbar is already gone: the card left the queue.
            if (attempt > 1 && !await card.IsVisibleAsync())
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
