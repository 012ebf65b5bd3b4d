using System.Globalization;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

/// <summary>
/// An auditor opens a link to a period of the audit log: only that period's events are listed, newest
/// first, the filter bar shows the period, a period with no events says so, and a link with a date
/// that is not one says what is wrong instead of failing.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditPeriodJourneyTests(ConsoleFixture console)
{
    private const string Auditor = "auditor@warden.example";

    [Fact]
    public async Task AnAuditor_FollowsALinkToAPeriod_AndSeesOnlyItsEvents()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var auditor = await console.OpenPageAsync();
        await auditor.SignInAsync(Auditor);

        // Today (the demo has been recording since it started): every row is today's, newest first.
        await auditor.GotoAsync($"/audit?from={today}&to={today}");
        var rows = auditor.Locator("[data-testid='audit-events'] tbody tr");
        await rows.First.WaitForAsync();
        var times = await rows.Locator("td[data-label='Time']").AllInnerTextsAsync();
        times.ShouldNotBeEmpty();
        times.ShouldAllBe(t => t.Trim().StartsWith(today, StringComparison.Ordinal));
        var sequences = (await rows.Locator("td[data-label='#']").AllInnerTextsAsync()).Select(s => long.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToList();
        sequences.ShouldBeInOrder(SortDirection.Descending);
        // The period shows in the pickers as the link wrote it, year first, whatever the browser's locale.
        (await auditor.Locator("[data-testid='audit-filter-from'] input, input[data-testid='audit-filter-from']").First.InputValueAsync()).ShouldBe(today);
        (await auditor.Locator("[data-testid='audit-filter-to'] input, input[data-testid='audit-filter-to']").First.InputValueAsync()).ShouldBe(today);
        await auditor.SaveScreenshotAsync("audit-period-today");

        // A day long before the demo began holds nothing, and the page says so.
        await auditor.GotoAsync("/audit?from=2001-01-01&to=2001-01-31");
        await auditor.GetByTestId("audit-empty").WaitForAsync();
        (await rows.Locator("td[data-label='#']").CountAsync()).ShouldBe(0);

        // A date that is not one: a readable warning, and the whole log instead of an error page.
        await auditor.GotoAsync("/audit?from=last-tuesday");
        var warning = auditor.GetByTestId("audit-link-error");
        await warning.WaitForAsync();
        (await warning.InnerTextAsync()).ShouldContain("last-tuesday");
        await rows.First.WaitForAsync();
        await auditor.SaveScreenshotAsync("audit-period-bad-link");

        await auditor.Context.CloseAsync();
    }
}
