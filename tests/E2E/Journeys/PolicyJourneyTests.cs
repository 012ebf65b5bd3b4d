using System.Text.Json;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// An officer edits the policy in force so a demo tool needs approval, replays it, publishes it, and
/// the demo agent's next request for that tool comes back pending.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PolicyJourneyTests(ConsoleFixture console)
{
    private const string Officer = "officer@warden.example";
    private const string Agent = "agt_demo_payments";

    // The rule stays in force for the journeys that follow on the same server, so it holds only this
    // invoice: the demo agents' own invoice reads (numbered) go on as before.
    private const string AuditedInvoice = "erp/invoices/INV-AUDIT";

    [Fact]
    public async Task OfficerPublishesARuleForADemoTool_AndTheNextRequestForItIsPending()
    {
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        var token = await DemoAgentApi.TokenAsync(http, Agent);
        (await DecideAsync(http, token)).GetProperty("outcome").GetString().ShouldBe("allow");

        var page = await console.OpenPageAsync();
        await page.SignInAsync(Officer);
        await page.GotoAsync("/policies");
        var editor = page.GetByTestId("policy-editor");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Editor" }).ClickUntilVisibleAsync(editor);
        var yaml = await editor.InputValueAsync();
        yaml.ShouldContain("rules:\n");
        var label = $"invoices-reviewed-{Guid.NewGuid():N}"[..26];
        var edited = System.Text.RegularExpressions.Regex.Replace(yaml, "^version: .*$", $"version: \"{label}\"", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Replace("rules:\n", $"rules:\n  - id: invoice-reads-reviewed\n    description: Invoice reads wait for an officer during the audit.\n    match: {{ tools: [invoices.read], resources: [\"{AuditedInvoice}\"] }}\n    effect: require_approval\n\n", StringComparison.Ordinal);
        await editor.FillAsync(edited);
        await page.GetByTestId("policy-check").ClickAsync();
        (await page.GetByTestId("policy-check-summary").InnerTextAsync()).ShouldContain("can be published");
        await page.GetByTestId("policy-comment").FillAsync("Invoice reads wait for an officer during the audit");
        await page.GetByTestId("policy-save").ClickAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Versions" }).ClickAsync();
        var row = page.Locator("[data-testid='policy-versions'] tbody tr").Filter(new() { HasText = label });
        await row.WaitForAsync();
        await row.Locator("[data-testid^='policy-replay-']").ClickAsync();
        var summary = page.GetByTestId("policy-replay-summary");
        await summary.WaitForAsync();
        (await summary.InnerTextAsync()).ShouldContain("would be refused or held");
        await page.Locator("[data-testid='policy-replay-change']").Filter(new() { HasText = "invoice-reads-reviewed" }).First.WaitForAsync();
        await page.SaveScreenshotAsync("policy-replay");

        await row.Locator("[data-testid^='policy-publish-']").ClickAsync();
        await page.GetByTestId("policy-publish-reason").FillAsync("Quarterly audit of invoices");
        await page.GetByTestId("policy-publish-confirm").ClickAsync();
        await page.GetByTestId("policy-in-force").Filter(new() { HasText = label }).WaitForAsync();
        await page.SaveScreenshotAsync("policy-published");
        await page.Context.CloseAsync();

        var after = await DecideAsync(http, token);
        after.GetProperty("outcome").GetString().ShouldBe("pending");
        after.GetProperty("policyVersion").GetString().ShouldBe(label);
    }

    private static Task<JsonElement> DecideAsync(HttpClient http, string token) =>
        DemoAgentApi.DecideAsync(http, token, new { tool = "invoices.read", operation = "read", resource = AuditedInvoice, impact = new { records = 1 } });
}
