using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// With the demo on, the demo agents ask for decisions through the real API: their decisions land in
/// the audit log and on the agent page, and an auditor can verify the chain they were written into.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class DemoDecisionsJourneyTests(ConsoleFixture console)
{
    private const string Officer = "officer@warden.example";
    private const string Owner = "owner@warden.example";
    private const string Auditor = "auditor@warden.example";
    private const string SupportAgent = "agt_demo_support";

    private static readonly TimeSpan DemoWait = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"^Chain verified: (?<events>\d+) events up to sequence (?<head>\d+), \d+ signed checkpoints\.$")]
    private static partial Regex VerifiedText();

    [Fact]
    public async Task DemoAgentDecisions_AppearInTheAuditLogAndOnTheAgentPage_AndTheChainVerifies()
    {
        var officer = await console.OpenPageAsync();
        await officer.SignInAsync(Officer);
        var events = await PollAsync(officer, "/audit", async page =>
        {
            var rows = await AuditRowsAsync(page);
            var demo = rows.Where(r => r.Kind.StartsWith("decision.", StringComparison.Ordinal)
                && r.Subject.StartsWith("agt_demo_", StringComparison.Ordinal)).ToList();
            return demo.Count > 0 ? demo : null;
        }, "no decision event of a demo agent reached the audit log");
        var first = events[0];
        var link = officer.GetByTestId("audit-events").GetByRole(AriaRole.Link, new() { Name = first.Subject, Exact = true }).First;
        (await link.GetAttributeAsync("href")).ShouldBe($"/agents/{first.Subject}");
        await officer.SaveScreenshotAsync("audit-demo-decisions");
        await officer.Context.CloseAsync();

        var owner = await console.OpenPageAsync();
        await owner.SignInAsync(Owner);
        var decisionRows = await PollAsync(owner, $"/agents/{SupportAgent}", async page =>
        {
            await page.Locator("[data-testid='activity-decisions'], [data-testid='activity-decisions-none'], [data-testid='activity-error']")
                .First.WaitForAsync();
            var error = page.GetByTestId("activity-error");
            if (await error.IsVisibleAsync())
                throw new ShouldAssertException($"the activity section failed: {await error.InnerTextAsync()}");
            var ids = await page.Locator("[data-testid='activity-decisions'] tr[data-testid^='decision-']")
                .EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-testid'))");
            return ids.Length > 0 ? ids : null;
        }, $"no decision of {SupportAgent} showed on its page");
        decisionRows.ShouldNotBeEmpty();
        var outcome = owner.Locator("[data-testid='activity-decisions'] [data-testid^='decision-outcome-']").First;
        (await outcome.InnerTextAsync()).Trim().ShouldBeOneOf("allow", "deny", "pending");
        foreach (var tile in new[] { "activity-today-allowed", "activity-today-denied", "activity-today-pending" })
        {
            var text = (await owner.GetByTestId(tile).InnerTextAsync()).Trim();
            long.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _).ShouldBeTrue($"{tile} shows '{text}'");
        }
        (await owner.GetByTestId("activity-last-seen").InnerTextAsync()).Trim().ShouldNotBe("Never");
        await owner.SaveScreenshotAsync("agent-demo-activity");
        await owner.Context.CloseAsync();

        var auditor = await console.OpenPageAsync();
        await auditor.SignInAsync(Auditor);
        await auditor.GotoAsync("/audit");
        await auditor.GetByTestId("audit-events").WaitForAsync();
        var result = auditor.GetByTestId("verify-result");
        await auditor.GetByTestId("verify-chain").ClickUntilVisibleAsync(result);
        var message = (await result.InnerTextAsync()).Trim();
        var verified = VerifiedText().Match(message);
        verified.Success.ShouldBeTrue($"the verification said: {message}");
        long.Parse(verified.Groups["events"].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        long.Parse(verified.Groups["head"].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(first.Sequence);
        (await result.GetAttributeAsync("class") ?? string.Empty).ShouldContain("success");
        await auditor.SaveScreenshotAsync("audit-verified");
        await auditor.Context.CloseAsync();
    }

    /// <summary>Opens <paramref name="path"/> and reloads it until <paramref name="probe"/> finds something.</summary>
    private static async Task<T> PollAsync<T>(IPage page, string path, Func<IPage, Task<T?>> probe, string failure) where T : class
    {
        var waited = Stopwatch.StartNew();
        await page.GotoAsync(path);
        while (true)
        {
            if (await probe(page) is { } found)
                return found;
            if (waited.Elapsed > DemoWait)
                throw new ShouldAssertException($"{failure} within {DemoWait.TotalSeconds:0} s");
            await Task.Delay(1_000, TestContext.Current.CancellationToken);
            await page.ReloadAsync();
        }
    }

    private static async Task<IReadOnlyList<AuditRow>> AuditRowsAsync(IPage page)
    {
        await page.Locator("[data-testid='audit-events'] tbody tr").First.WaitForAsync();
        var cells = await page.Locator("[data-testid='audit-events'] tbody tr").EvaluateAllAsync<string[][]>(
            """
            rows => rows
              .filter(r => r.querySelector("td[data-label='Kind']"))
              .map(r => ["#", "Kind", "Subject"].map(l => (r.querySelector(`td[data-label='${l}']`)?.innerText ?? "").trim()))
            """);
        return cells
            .Where(c => long.TryParse(c[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(c => new AuditRow(long.Parse(c[0], CultureInfo.InvariantCulture), c[1], c[2]))
            .ToList();
    }

    private sealed record AuditRow(long Sequence, string Kind, string Subject);
}
