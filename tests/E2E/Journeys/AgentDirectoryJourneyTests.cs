using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

[Collection(ConsoleCollection.Name)]
public sealed partial class AgentDirectoryJourneyTests(ConsoleFixture console)
{
    private const string Owner = "owner@warden.example";
    private const string OtherOwner = "owner2@warden.example";
    private const string Officer = "officer@warden.example";
    private const string Auditor = "auditor@warden.example";

    [GeneratedRegex(@"/agents/(?!new$)(?<id>[^/?#]+)$")]
    private static partial Regex AgentUrl();

    [Fact]
    public async Task AnAgent_IsRegisteredAttestedSuspendedAndExported_AndHiddenFromOtherOwners()
    {
        var elapsed = Stopwatch.StartNew();
        var name = $"E2E Invoice Matcher {Guid.NewGuid().ToString("N")[..8]}";
        const string reason = "Unexpected writes to the ledger";

        var owner = await console.OpenPageAsync();
        await owner.SignInAsync(Owner);
        var id = await RegisterAsync(owner, name);

        await owner.GotoAsync("/agents");
        var link = owner.GetByTestId($"agent-link-{id}");
        await owner.MudInput("agent-search").FillAsync(name);
        await link.WaitForAsync();
        (await link.InnerTextAsync()).Trim().ShouldBe(name);
        await link.ClickAsync();
        await owner.WaitForURLAsync($"**/agents/{id}");
        await owner.GetByTestId("agent-name").Filter(new() { HasText = name }).WaitForAsync();
        var registeredAttestation = await LastAttestedAsync(owner);
        (await owner.GetByTestId("attest-agent").CountAsync()).ShouldBe(0, "registering is itself an attestation");

        await owner.GotoAsync($"/agents/{id}/edit");
        await owner.GetByTestId("agent-form").WaitForAsync();
        await owner.ChooseAsync("tool-risk-0", "High");
        await owner.MudInput("agent-purpose").FillAsync("Matches supplier invoices to purchase orders and credit notes.");
        await owner.GetByTestId("agent-form-submit").ClickAsync();
        await owner.WaitForURLAsync($"**/agents/{id}");
        await owner.GetByTestId("attest-agent").ClickUntilVisibleAsync(owner.GetByTestId("confirm-attest"));
        await owner.GetByTestId("confirm-attest").ClickAsync();
        await owner.GetByText($"Attested {name}.").WaitForAsync();
        await owner.GetByTestId("agent-history").GetByText("attested", new() { Exact = true }).WaitForAsync();
        (await LastAttestedAsync(owner)).ShouldBeGreaterThanOrEqualTo(registeredAttestation);
        await owner.SaveScreenshotAsync("agent-attested");
        await owner.Context.CloseAsync();

        var stranger = await console.OpenPageAsync();
        await stranger.SignInAsync(OtherOwner);
        await stranger.GotoAsync($"/agents/{id}");
        await stranger.GetByTestId("agent-not-found").WaitForAsync();
        (await stranger.GetByTestId("agent-actions").CountAsync()).ShouldBe(0);
        (await stranger.GetByText(name).CountAsync()).ShouldBe(0);
        await stranger.Context.CloseAsync();

        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);
        await officer.GotoAsync($"/agents/{id}");
        await officer.GetByTestId("agent-status").Filter(new() { HasText = "Active" }).WaitForAsync();
        await officer.GetByTestId("suspend-agent").ClickUntilVisibleAsync(officer.MudInput("reason-input"));
        await officer.MudInput("reason-input").FillAsync(reason);
        await officer.GetByTestId("reason-confirm").ClickAsync();
        await officer.GetByText($"Suspended {name}.").WaitForAsync();
        await officer.GetByTestId("agent-status").Filter(new() { HasText = "Suspended" }).WaitForAsync();
        (await officer.GetByTestId("agent-status-reason").InnerTextAsync()).ShouldContain(reason);
        await officer.Context.CloseAsync();

        var auditor = await console.OpenPageAsync();
        await auditor.SignInAsync(Auditor);
        await auditor.GotoAsync("/agents");
        var export = auditor.GetByTestId("export-csv");
        var href = await export.GetAttributeAsync("href");
        href.ShouldNotBeNull();
        new Uri(auditor.Url).AbsolutePath.ShouldBe("/agents");
        new Uri(new Uri(auditor.Url), href).AbsolutePath.ShouldBe("/agents/export/csv");
        var response = await auditor.APIRequest.GetAsync(href);
        response.Status.ShouldBe(200);
        var csv = await response.TextAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].ShouldStartWith("id,name,status");
        var row = lines.SingleOrDefault(l => l.StartsWith($"{id},", StringComparison.Ordinal));
        row.ShouldNotBeNull($"the export should hold a row for {id}");
        row.ShouldContain(name);
        row.ShouldContain("Suspended", Case.Insensitive);
        await auditor.Context.CloseAsync();

        elapsed.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(40));
    }

    private static async Task<string> RegisterAsync(IPage page, string name)
    {
        await page.GotoAsync("/agents/new");
        await page.GetByTestId("agent-form").WaitForAsync();
        await page.ChooseAsync("tool-operations-0", "Read", "Write");
        await page.ChooseAsync("tool-risk-0", "High");
        await page.MudInput("agent-name").FillAsync(name);
        await page.MudInput("agent-purpose").FillAsync("Matches supplier invoices to purchase orders.");
        await page.MudInput("agent-segment").FillAsync("finance-eu");
        await page.MudInput("agent-tags").FillAsync("e2e, invoices");
        await page.MudInput("tool-name-0").FillAsync("erp.invoices.match");
        await page.MudInput("agent-scopes").FillAsync("erp/invoices/*\nerp/orders/**");
        await page.MudInput("agent-rate-limit").FillAsync("120");
        await page.GetByTestId("agent-form-submit").ClickAsync();
        await page.WaitForURLAsync(AgentUrl());
        var id = AgentUrl().Match(new Uri(page.Url).AbsolutePath).Groups["id"].Value;
        id.ShouldNotBe("new");
        await page.GetByTestId("agent-id").Filter(new() { HasText = id }).WaitForAsync();
        await page.GetByTestId("tool-erp.invoices.match").WaitForAsync();
        (await page.GetByTestId("agent-risk").InnerTextAsync()).Trim().ShouldBe("High");
        (await page.GetByTestId("agent-rate-limit-text").InnerTextAsync()).ShouldStartWith("120 ");
        return id;
    }

    private static async Task<DateTime> LastAttestedAsync(IPage page)
    {
        var text = (await page.GetByTestId("agent-last-attested").InnerTextAsync()).Trim();
        return DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
    }
}
