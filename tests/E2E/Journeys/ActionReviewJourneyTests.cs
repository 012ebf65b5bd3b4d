using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// The helpdesk assistant (autonomy level 1) closes a ticket alone; its owner finds the action in the
/// Reviews queue with what the agent reported, rejects it with a note, and sees it recorded as a
/// violation with the decision to open.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ActionReviewJourneyTests(ConsoleFixture console)
{
    private const string Owner = "owner@warden.example";
    private const string Agent = "agt_demo_helpdesk";

    [Fact]
    public async Task OwnerReviewsALevelOneActionAfterItRan_AndRejectsIt()
    {
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, Agent);
        var answer = await DemoAgentApi.DecideAsync(http, token,
            new { tool = "tickets.close", operation = "write", resource = "helpdesk/tickets/4242", parameters = new { resolution = "answered" }, impact = new { records = 1 } });
        answer.GetProperty("outcome").GetString().ShouldBe("allow", answer.ToString());
        var id = answer.GetProperty("id").GetString()!;
        await DemoAgentApi.ReportAsync(http, token, id, answer.GetProperty("grant").GetProperty("token").GetString()!, "closed as answered");

        var owner = await console.OpenPageAsync();
        await owner.SignInAsync(Owner);
        await owner.GotoAsync("/reviews");
        var card = owner.Locator($"[data-testid='action-review-card'][data-decision='{id}']");
        await card.WaitForAsync();
        (await card.GetByTestId("action-review-what").InnerTextAsync()).ShouldContain("tickets.close");
        (await card.GetByTestId("action-review-outcome").InnerTextAsync()).ShouldContain("closed as answered");

        var reject = card.GetByTestId("action-review-reject");
        var note = card.GetByTestId("action-review-note");
        for (var attempt = 1; attempt <= 20 && !await reject.IsEnabledAsync(); attempt++)
        {
            await note.FillAsync(string.Empty);
            await note.FillAsync("The customer had not confirmed; reopen it.");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        await reject.ClickAsync();

        var rejected = owner.Locator($"[data-testid='action-review-card'][data-decision='{id}'][data-state='rejected']").First;
        await rejected.WaitForAsync();
        await rejected.GetByTestId("action-review-violation").WaitForAsync();
        (await rejected.GetByTestId("action-review-verdict").InnerTextAsync()).ShouldContain("The customer had not confirmed");
        await rejected.GetByTestId("action-review-decision").ClickUntilVisibleAsync(owner.GetByTestId("decision-detail-close"));
        await owner.SaveScreenshotAsync("action-review-rejected");
        await owner.Context.CloseAsync();
    }
}
