using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// A demo agent pastes a cloud key into a request: it is denied, the audit log says why with the key
/// masked, and officers find the finding on the guardrails page.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class GuardrailJourneyTests(ConsoleFixture console)
{
    private const string Auditor = "auditor@warden.example";
    private const string Officer = "officer@warden.example";
    private const string Agent = "agt_demo_codereview";
    private const string CloudKey = "AKIAIOSFODNN7EXAMPLE";

    [Fact]
    public async Task DemoAgentSendingASecret_IsDenied_AndTheAuditLogShowsWhyWithTheSecretMasked()
    {
        var decisionId = await SendSecretAsync();

        var auditor = await console.OpenPageAsync();
        await auditor.SignInAsync(Auditor);
        await auditor.GotoAsync($"/audit?subject={Agent}");
        var row = auditor.Locator("[data-testid='audit-events'] tbody tr").Filter(new() { HasText = decisionId }).First;
        await row.WaitForAsync();
        (await row.Locator("td[data-label='Kind'] .mud-chip").InnerTextAsync()).Trim().ShouldBe("decision.denied");
        // A click before the live circuit attaches can be undone by its first render: click until it stays open.
        await row.GetByTestId("audit-data-more").Locator("summary").ClickUntilVisibleAsync(row.GetByTestId("audit-data-full"));
        // Its text, not its layout: the circuit's first render may still close the details again, and
        // a closed details element has no rendered text.
        var data = await row.GetByTestId("audit-data-full").TextContentAsync() ?? string.Empty;
        data.ShouldContain("guardrail_finding");
        data.ShouldContain("Found secret.cloud_key at $.note");
        data.ShouldContain("deny-secrets-in-requests");
        data.ShouldNotContain(CloudKey);
        (await auditor.ContentAsync()).ShouldNotContain(CloudKey);
        await row.GetByTestId("audit-data-more").Locator("summary").ClickUntilVisibleAsync(row.GetByTestId("audit-data-full"));
        await auditor.SaveScreenshotAsync("audit-secret-denied");

        // "Why?" explains the decision: the rule of the published policy that denied it, never the secret.
        await row.Locator("td[data-label='Kind'] button").ClickAsync();
        var detail = auditor.GetByTestId("decision-detail");
        await detail.WaitForAsync();
        (await auditor.GetByTestId("decision-detail-outcome").InnerTextAsync()).Trim().ShouldBe("deny", StringCompareShould.IgnoreCase);
        (await auditor.GetByTestId("decision-detail-rules").InnerTextAsync()).ShouldContain("deny-secrets-in-requests");
        (await detail.InnerTextAsync()).ShouldNotContain(CloudKey);
        await auditor.SaveScreenshotAsync("audit-secret-explained");
        await auditor.Context.CloseAsync();

        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);
        await officer.GotoAsync("/guardrails");
        var finding = officer.Locator("[data-testid='findings-table'] tbody tr").Filter(new() { HasText = decisionId }).First;
        await finding.WaitForAsync();
        (await finding.GetByTestId("finding-kind").InnerTextAsync()).ShouldContain("secret.cloud_key");
        (await finding.GetByTestId("finding-excerpt").InnerTextAsync()).ShouldNotContain(CloudKey);
        // The page is prerendered: click until the live circuit answers with the review panel.
        await finding.GetByTestId("finding-open").ClickUntilVisibleAsync(officer.GetByTestId("finding-review"));
        await officer.GetByTestId("finding-note").FillAsync("The documented example key; harmless here.");
        await officer.GetByTestId("finding-false").ClickAsync();
        await officer.Locator("[data-testid='findings-table'] tbody tr").Filter(new() { HasText = decisionId }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await officer.GetByText("Scanner tuning").ClickAsync();
        var tuning = officer.Locator("[data-testid='tuning-row'][data-scanner='cloud-key']");
        await tuning.WaitForAsync();
        (await tuning.GetByTestId("tuning-rate").InnerTextAsync()).ShouldEndWith("%");
        await officer.SaveScreenshotAsync("guardrails-tuning");
        await officer.Context.CloseAsync();
    }

    private async Task<string> SendSecretAsync()
    {
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, Agent);
        var answer = await DemoAgentApi.DecideAsync(http, token, new
        {
            tool = "repo.read",
            operation = "read",
            resource = "git/warden/pulls/77",
            parameters = new { note = $"CI fails, try with key {CloudKey}" },
            impact = new { records = 1 },
        });
        answer.GetProperty("outcome").GetString().ShouldBe("deny", answer.ToString());
        return answer.GetProperty("id").GetString()!;
    }
}
