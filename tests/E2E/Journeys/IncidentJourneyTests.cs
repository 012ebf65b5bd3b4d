using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;
using Warden.Testing;

namespace Warden.E2E.Journeys;

/// <summary>
/// A breaker stops an agent that keeps reaching for a tool it was never given: the trip opens an
/// incident, the officer hears of it by e-mail, follows the message's link to the incident's timeline
/// and runbook, releases the agent, and closes the incident with a review.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class IncidentJourneyTests(ConsoleFixture console)
{
    private const string Officer = "officer@warden.example";
    private const string Owner = "owner@warden.example";
    private const string Agent = "agt_demo_codereview";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"https?://\S+/incidents/(?<id>[A-Za-z0-9_\-]+)")]
    private static partial Regex IncidentLink();

    [Fact]
    public async Task ABreakerTrip_OpensAnIncident_AnEmailReachesTheOfficer_AndTheIncidentIsReviewedAndClosed()
    {
        var started = DateTimeOffset.UtcNow;
        await ProbeUntilTrippedAsync();
        try
        {
            await ReviewAndCloseAsync(started);
        }
        catch
        {
            // The other journeys act as this demo agent: a failure here must not leave it contained for them.
            await ReleaseLeftoverAsync();
            throw;
        }
    }

    private async Task ReviewAndCloseAsync(DateTimeOffset started)
    {

        var mail = await IncidentMailAsync(started);
        var link = IncidentLink().Match(mail.Text);
        link.Success.ShouldBeTrue(mail.Text);
        var incidentId = link.Groups["id"].Value;

        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);
        await officer.GotoAsync(new Uri(link.Value).PathAndQuery);
        await officer.GetByTestId("incident-title").WaitForAsync();
        (await officer.GetByTestId("incident-state").InnerTextAsync()).ShouldBe("Open");
        await officer.GetByTestId("timeline-detection").WaitForAsync();
        await officer.GetByTestId("timeline-trip").WaitForAsync();
        (await officer.GetByTestId("ttc-detection-trip").InnerTextAsync()).ShouldNotBe("—");
        (await officer.GetByTestId("incident-steps").Locator("[data-testid^='incident-step-tick-']").CountAsync()).ShouldBeGreaterThan(0);
        // The first click can land before the page is interactive; a ticked step loses its button.
        await officer.GetByTestId("incident-step-tick-0").ClickUntilVisibleAsync(officer.Locator(".mud-snackbar", new() { HasText = "Step ticked." }));
        await officer.SaveScreenshotAsync("incident-1-opened");

        // The incident names its containment; the officer releases it from the containment page.
        var containment = await officer.GetByTestId("incident-containment").GetAttributeAsync("data-containment");
        containment.ShouldNotBeNullOrEmpty();
        await ReleaseAsync(officer, containment);
        await officer.GotoAsync($"/incidents/{incidentId}");
        await officer.GetByTestId("timeline-release").WaitForAsync();
        // Ticking the runbook's second step also waits for the page to be interactive, so the review typed next is kept.
        await officer.GetByTestId("incident-step-tick-1").ClickUntilVisibleAsync(officer.Locator(".mud-snackbar", new() { HasText = "Step ticked." }));

        await officer.MudInput("incident-review-what").FillAsync("E2E: the code review agent asked for a shell tool twenty times.");
        await officer.MudInput("incident-review-cause").FillAsync("E2E: a prompt in a pull request told it to run commands.");
        await officer.MudInput("incident-review-actions").FillAsync("E2E: pull request text is screened; the agent was released.");
        await officer.MudInput("incident-review-actions").PressAsync("Tab");
        await officer.GetByTestId("incident-close").ClickAsync();
        var closed = officer.Locator(".mud-snackbar", new() { HasText = "Incident closed." });
        await closed.Or(officer.Locator(".mud-snackbar", new() { HasText = "review" })).First.WaitForAsync();
        (await closed.CountAsync()).ShouldBe(1, string.Join(" | ", await officer.Locator(".mud-snackbar").AllInnerTextsAsync()));
        await officer.GetByTestId("incident-review-by").WaitForAsync();
        (await officer.GetByTestId("incident-state").InnerTextAsync()).ShouldBe("Closed");
        await officer.SaveScreenshotAsync("incident-2-closed");

        await officer.GotoAsync("/incidents");
        await officer.GetByTestId("incidents-filter-closed").ClickUntilVisibleAsync(officer.GetByTestId($"incident-row-{incidentId}"));
        await officer.Context.CloseAsync();
    }

    /// <summary>
    /// Asks for a tool the agent was never given until the violation breaker contains it. The demo
    /// agent acts on its own too and shares its rate limit with the test, so refusals for the rate are
    /// waited out rather than counted.
    /// </summary>
    private async Task ProbeUntilTrippedAsync()
    {
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, Agent);
        var waited = Stopwatch.StartNew();
        for (var i = 0; waited.Elapsed < Patience; i++)
        {
            var answer = await DemoAgentApi.DecideAsync(http, token, new
            {
                tool = "shell.exec",
                operation = "execute",
                resource = $"repos/warden/run/{i}",
                parameters = new { command = "cat /etc/passwd" },
            });
            if (Contained(answer))
                return;
            if (RateLimited(answer))
                await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            else
                (answer.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null).ShouldBe("deny", answer.ToString());
        }
        throw new ShouldAssertException("the violation breaker did not contain the agent");
    }

    /// <summary>The officer's e-mail about the incident; the agent's owner hears of it too.</summary>
    private async Task<ReceivedMail> IncidentMailAsync(DateTimeOffset since)
    {
        var messages = await console.Mail.WaitForAsync(all => all.Any(m => IsIncidentMail(m, Officer)) && all.Any(m => IsIncidentMail(m, Owner)));
        var mail = messages.FirstOrDefault(m => IsIncidentMail(m, Officer));
        var received = string.Join(" | ", messages.Select(m => $"{m.EnvelopeTo} {m.Event} {m.Subject}"));
        mail.ShouldNotBeNull($"no incident e-mail reached {Officer} since {since:O}; received: {received}");
        messages.ShouldContain(m => IsIncidentMail(m, Owner), $"no incident e-mail reached the agent's owner; received: {received}");
        return mail;
    }

    private static bool IsIncidentMail(ReceivedMail mail, string to) =>
        mail.Event == "incident.opened"
        && mail.EnvelopeTo.Contains(to, StringComparison.OrdinalIgnoreCase)
        && mail.Text.Contains(Agent, StringComparison.Ordinal);

    private async Task ReleaseLeftoverAsync()
    {
        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);
        await officer.GotoAsync("/containment");
        var rows = officer.Locator($"[data-testid='containment-row'][data-target='{Agent}']");
        foreach (var id in await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-containment'))"))
            await ReleaseAsync(officer, id);
        await officer.Context.CloseAsync();
    }

    private static async Task ReleaseAsync(IPage page, string containment)
    {
        await page.GotoAsync("/containment");
        var row = page.Locator($"[data-testid='containment-row'][data-containment='{containment}']");
        var input = page.GetByTestId("reason-input");
        await row.GetByTestId("release").ClickUntilVisibleAsync(input);
        await input.FillAsync("E2E: incident handled, agent restored");
        await page.GetByTestId("reason-confirm").ClickAsync();
        await page.Locator(".mud-snackbar", new() { HasText = "Released." }).WaitForAsync();
    }

    private static bool Contained(JsonElement answer) =>
        answer.TryGetProperty("type", out var type) && type.GetString() == "urn:warden:problem:contained";

    private static bool RateLimited(JsonElement answer) =>
        answer.TryGetProperty("reasons", out var reasons)
        && reasons.EnumerateArray().Any(r => r.GetProperty("code").GetString() == "rate_limited");
}
