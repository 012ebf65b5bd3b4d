using System.Diagnostics;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// Two officers work the live queue the demo agents fill: one approves a single-approver request, the
/// two of them approve a critical one together, and the second officer's open queue follows every
/// change without a reload. The history then shows both votes and keeps each officer's reason.
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
        var singleId = await WaitForRowAsync(first, required: 1);
        await Row(second, singleId).WaitForAsync();
        await VoteAsync(first, await OpenAsync(first, singleId), "E2E: matches the change ticket", "Approved.");
        await Row(second, singleId).WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });

        // A critical request needs both: officer's vote shows up live on officer2's card, who completes it.
        // The demo agents send a payment now and then; one is sent here so the journey does not wait on chance.
        await SendPaymentAsync();
        var criticalId = await WaitForRowAsync(first, required: 2);
        var secondCard = await OpenAsync(second, criticalId);
        await VoteAsync(first, await OpenAsync(first, criticalId), "E2E: first of two, invoice verified", "1 more needed");
        await second.Locator($"[data-testid='approval-card'][data-request='{criticalId}'][data-approvals='1']").WaitForAsync(new() { Timeout = 10_000 });
        (await secondCard.GetByTestId("approval-vote").InnerTextAsync()).ShouldContain("E2E: first of two");
        await second.SaveScreenshotAsync("approvals-second-officer-live");
        await VoteAsync(second, secondCard, "E2E: second approval, supplier confirmed", "Approved.");
        await Row(second, criticalId).WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });

        await second.GetByRole(AriaRole.Tab, new() { Name = "History" }).ClickAsync();
        var history = second.Locator($"[data-testid='approval-card'][data-request='{criticalId}']");
        await history.WaitForAsync();
        var votes = await history.GetByTestId("approval-vote").AllInnerTextsAsync();
        votes.Count.ShouldBe(2);
        votes.ShouldContain(v => v.Contains("E2E: first of two", StringComparison.Ordinal));
        votes.ShouldContain(v => v.Contains("E2E: second approval", StringComparison.Ordinal));
        (await history.GetByTestId("approval-state").InnerTextAsync()).Trim().ShouldBe("Approved");
        var outcome = await history.GetByTestId("approval-outcome").InnerTextAsync();
        outcome.ShouldContain("E2E: first of two");
        outcome.ShouldContain("E2E: second approval");
        (await history.GetByTestId("approval-why-held").AllInnerTextsAsync()).ShouldAllBe(w => !w.Contains("Approved by"));
        await second.SaveScreenshotAsync("approvals-history");

        // The load is read when its tab is opened: both officers' votes of this journey are counted there.
        var loadTab = second.GetByRole(AriaRole.Tab, new() { Name = "Load" });
        await loadTab.ClickAsync();
        var officers = second.GetByTestId("approval-officers");
        await officers.WaitForAsync();
        await second.Locator("[role='tab'][aria-selected='true']", new() { HasText = "Load" }).WaitForAsync(new() { Timeout = 5_000 });
        (await officers.Locator("tbody tr").CountAsync()).ShouldBeGreaterThanOrEqualTo(2);
        (await second.GetByTestId("approval-load").IsVisibleAsync()).ShouldBeTrue();
        await second.SaveScreenshotAsync("approvals-load");

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

    private static ILocator Row(IPage page, string requestId) =>
        page.Locator($"[data-testid='queue-row'][data-request='{requestId}']");

    /// <summary>Waits (the queue is live, no reloads) for a request needing <paramref name="required"/> approvals and none yet; returns its id.</summary>
    private static async Task<string> WaitForRowAsync(IPage page, int required)
    {
        var row = page.Locator($"[data-testid='queue-row'][data-required='{required}'][data-approvals='0']").First;
        var waited = Stopwatch.StartNew();
        while (!await row.IsVisibleAsync())
        {
            if (waited.Elapsed > DemoWait)
                throw new ShouldAssertException($"no demo request needing {required} approval(s) reached the queue within {DemoWait.TotalSeconds:0} s");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        return (await row.GetAttributeAsync("data-request"))!;
    }

    /// <summary>Opens the request beside the list (a click before the circuit attached does nothing, so it repeats) and returns its card.</summary>
    private static async Task<ILocator> OpenAsync(IPage page, string requestId)
    {
        var card = page.Locator($"[data-testid='queue-detail'] [data-testid='approval-card'][data-request='{requestId}']");
        await Row(page, requestId).ClickUntilVisibleAsync(card);
        return card;
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
