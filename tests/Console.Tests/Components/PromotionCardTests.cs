using Bunit;
using Warden.Domain;
using Warden.Domain.Autonomy;
using Warden.Features.Autonomy;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Components;

public sealed class PromotionCardTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private async Task<PromotionRow> OpenRequestAsync(string viewer)
    {
        var agent = await RegisterAsync(App);
        var requested = await App.AsUserAsync<AutonomyService, Result<string>>(DemoAccounts.Owner, s => s.RequestPromotionAsync(agent.Id, "supervised pilot"));
        requested.IsSuccess.ShouldBeTrue(requested.Error.ToString());
        var rows = await App.AsUserAsync<AutonomyService, Result<IReadOnlyList<PromotionRow>>>(viewer, s => s.GetRequestsAsync(openOnly: true));
        return rows.Value.Single(r => r.Id == requested.Value);
    }

    [Fact]
    public async Task Card_ForAnOfficer_ShowsEachCriterionWithItsResultAndTheUnmetMark()
    {
        var row = await OpenRequestAsync(DemoAccounts.Officer);
        await SignInAsync(DemoAccounts.Officer);

        var card = Render<PromotionCard>(p => p.Add(c => c.Request, row));

        card.FindAll("[data-testid='criterion-row']").Count.ShouldBe(row.Criteria.Count);
        card.Find("[data-criterion='decisions']").GetAttribute("data-passed").ShouldBe("false");
        card.Find("[data-testid='promotion-criteria-unmet']").TextContent.ShouldContain("criteria not met");
        card.Find("[data-testid='promotion-justification']").TextContent.ShouldContain("supervised pilot");
        card.Find("[data-testid='promotion-approve']").HasAttribute("disabled").ShouldBeTrue("a reason is required first");
    }

    [Fact]
    public async Task Card_ApprovedWithAReason_RaisesTheAgentAndTellsTheParent()
    {
        var row = await OpenRequestAsync(DemoAccounts.Officer);
        await SignInAsync(DemoAccounts.Officer);
        var decided = false;
        var card = Render<PromotionCard>(p => p.Add(c => c.Request, row).Add(c => c.OnDecided, () => decided = true));

        card.Find("textarea[data-testid='promotion-reason']").Input("checked the pilot plan");
        await card.Find("[data-testid='promotion-approve']").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        card.WaitForAssertion(() => decided.ShouldBeTrue(), TimeSpan.FromSeconds(10));
        var autonomy = await App.AsUserAsync<AutonomyService, Result<AgentAutonomy>>(DemoAccounts.Officer, s => s.GetAgentAutonomyAsync(row.AgentId));
        autonomy.Value.Level.ShouldBe(1);
    }

    [Fact]
    public async Task Card_ForAnAuditor_OffersNoDecision()
    {
        var row = await OpenRequestAsync(DemoAccounts.Auditor);
        await SignInAsync(DemoAccounts.Auditor);

        var card = Render<PromotionCard>(p => p.Add(c => c.Request, row));

        card.FindAll("[data-testid='promotion-approve']").ShouldBeEmpty();
        card.FindAll("[data-testid='criterion-row']").ShouldNotBeEmpty();
    }
}
