using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Features.Containment;
using Warden.Features.Incidents;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Components;

public sealed class IncidentPageTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task IncidentPage_OfficerWritesTheReview_ClosesTheIncidentAndShowsWhoReviewed()
    {
        var id = await IncidentOfATripAsync();
        await SignInAsync(DemoAccounts.Officer);
        RenderPopoverProvider();

        var page = Render<IncidentPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => page.Find("[data-testid='incident-state']").TextContent.ShouldBe("Open"), Patience);
        page.FindAll("[data-testid='timeline-trip']").ShouldNotBeEmpty();
        page.FindAll("[data-testid^='incident-step-tick-']").Count.ShouldBe(5);
        page.Find("textarea[data-testid='incident-review-what']").Change("Stopped by hand after odd traffic");
        page.Find("textarea[data-testid='incident-review-cause']").Change("A misrouted ticket queue");
        page.Find("textarea[data-testid='incident-review-actions']").Change("Queue fixed");
        page.Find("[data-testid='incident-close']").Click();

        page.WaitForAssertion(() => page.Find("[data-testid='incident-state']").TextContent.ShouldBe("Closed"), Patience);
        page.Find("[data-testid='incident-review-by']").TextContent.ShouldContain("Closed by");
        page.FindAll("[data-testid='incident-close']").ShouldBeEmpty();
    }

    [Fact]
    public async Task IncidentPage_ForAnAuditor_ShowsTheTimelineWithoutActions()
    {
        var id = await IncidentOfATripAsync();
        await SignInAsync(DemoAccounts.Auditor);
        RenderPopoverProvider();

        var page = Render<IncidentPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => page.FindAll("[data-testid='timeline-trip']").ShouldNotBeEmpty(), Patience);
        page.FindAll("[data-testid='incident-close']").ShouldBeEmpty();
        page.FindAll("[data-testid='incident-note-add']").ShouldBeEmpty();
        page.FindAll("button[data-testid^='incident-step-tick-'][disabled]").Count.ShouldBe(5);
    }

    private async Task<string> IncidentOfATripAsync()
    {
        var agent = await RegisterAsync(App);
        var trip = await App.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "odd traffic"));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        for (var i = 0; i < 100; i++)
        {
            var id = await App.InScopeAsync(async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
                return await db.Incidents.Where(x => x.ContainmentId == trip.Value.ContainmentId).Select(x => x.Id).FirstOrDefaultAsync();
            });
            if (id is not null)
                return id;
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
        throw new ShouldAssertException("No incident was opened.");
    }
}
