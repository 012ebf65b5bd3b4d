using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Warden.Domain.Audit;
using Warden.Features.RedTeam;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// The owner of the support copilot requests its promotion twice, sees the criteria table each time,
/// and an officer approves: its next medium-risk request is allowed alone. A secret pasted into a
/// request then demotes it to level 0 for the very next request. Level 2 needs a red-team drill first.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AutonomyJourneyTests(ConsoleFixture console)
{
    private const string Owner = "owner@warden.example";
    private const string Officer = "officer@warden.example";
    private const string Agent = "agt_demo_support";

    [Fact]
    public async Task OwnerRequestsPromotion_OfficerApproves_MediumRequestIsAllowed_AndASecretDemotesIt()
    {
        var owner = await console.OpenPageAsync();
        await owner.SignInAsync(Owner);
        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);

        await PromoteAsync(owner, officer, toLevel: 1);
        var drill = await console.Server.Services.GetRequiredService<RedTeamDrills>().RunAsync(Agent, AuditActor.System, atLevel: null, TestContext.Current.CancellationToken);
        drill.IsSuccess.ShouldBeTrue(drill.Error.ToString());
        await PromoteAsync(owner, officer, toLevel: 2);

        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, Agent);
        (await OutcomeAsync(http, token, "tickets.escalate", "write", new { })).ShouldBe("allow");
        (await OutcomeAsync(http, token, "tickets.read", "read", new { note = "use key AKIAIOSFODNN7EXAMPLE" })).ShouldBe("deny");
        (await OutcomeAsync(http, token, "tickets.escalate", "write", new { })).ShouldBe("pending");

        await owner.GotoAsync($"/agents/{Agent}");
        var demoted = owner.Locator("[data-testid='agent-level-change'][data-kind='demoted']").First;
        await demoted.WaitForAsync();
        (await demoted.InnerTextAsync()).ShouldContain("critical violation");
        (await owner.GetByTestId("agent-autonomy-level").InnerTextAsync()).ShouldContain("Level 0");
        await owner.SaveScreenshotAsync("agent-autonomy-demoted");
        await owner.Context.CloseAsync();
        await officer.Context.CloseAsync();
    }

    private static async Task PromoteAsync(IPage owner, IPage officer, int toLevel)
    {
        await owner.GotoAsync("/autonomy");
        var readiness = owner.Locator($"[data-testid='readiness-card'][data-agent='{Agent}']");
        await owner.GetByText("Readiness", new() { Exact = true }).ClickUntilVisibleAsync(readiness);
        (await readiness.GetByTestId("criterion-row").CountAsync()).ShouldBeGreaterThanOrEqualTo(3);
        await readiness.GetByTestId("promotion-request").ClickUntilVisibleAsync(owner.GetByTestId("promotion-justification-input"));
        await owner.GetByTestId("promotion-justification-input").FillAsync($"E2E: supervised pilot for level {toLevel}.");
        await owner.GetByTestId("promotion-submit").ClickAsync();
        await readiness.GetByTestId("readiness-open").WaitForAsync();

        await officer.GotoAsync("/autonomy");
        var card = officer.Locator("[data-testid='promotion-card']").Filter(new() { HasText = "Support copilot" }).First;
        await card.WaitForAsync();
        (await card.InnerTextAsync()).ShouldContain($"level {toLevel - 1} → {toLevel}");
        (await card.GetByTestId("criterion-row").CountAsync()).ShouldBeGreaterThanOrEqualTo(3);
        await FillUntilEnabledAsync(card.GetByTestId("promotion-reason"), "E2E: track record and justification checked.", card.GetByTestId("promotion-approve"));
        await card.GetByTestId("promotion-approve").ClickAsync();
        await card.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        if (toLevel == 1)
            await officer.SaveScreenshotAsync("autonomy-officer-after-approval");
    }

    /// <summary>Typing into the prerendered page does nothing until the circuit is live: type again until the button wakes up.</summary>
    private static async Task FillUntilEnabledAsync(ILocator input, string text, ILocator button)
    {
        for (var attempt = 1; attempt <= 20 && !await button.IsEnabledAsync(); attempt++)
        {
            await input.FillAsync(string.Empty);
            await input.FillAsync(text);
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<string> OutcomeAsync(HttpClient http, string token, string tool, string operation, object parameters) =>
        (await DemoAgentApi.DecideAsync(http, token, new { tool, operation, resource = "helpdesk/tickets/77", parameters, impact = new { records = 1 } }))
            .GetProperty("outcome").GetString()!;
}
