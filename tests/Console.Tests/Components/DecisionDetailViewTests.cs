using Bunit;
using Warden.Features.Decisions;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class DecisionDetailViewTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public async Task AHeldPayment_ShowsWhyItWasHeld_ThePolicyVersionLink_AndMaskedParameters()
    {
        var held = await ApprovalScenario.HoldAsync(App, critical: true);
        await SignInAsync(DemoAccounts.Auditor);

        var view = Render<DecisionDetailView>(p => p.Add(c => c.DecisionId, held.DecisionId));

        view.WaitForAssertion(() => view.Find("[data-testid='decision-detail']").ShouldNotBeNull(), TimeSpan.FromSeconds(10));
        view.Find("[data-testid='decision-detail-outcome']").TextContent.ShouldBe("pending");
        view.Find("[data-testid='decision-detail-summary']").TextContent.ShouldContain("two approvers");
        view.Find("[data-testid='decision-detail-reasons']").TextContent.ShouldContain("critical_requires_two_approvers");
        view.Find("[data-testid='decision-detail-reasons']").TextContent.ShouldContain("Critical risk: two approvers needed");
        view.Find("[data-testid='decision-detail-policy'] a").GetAttribute("href").ShouldStartWith("/policies?version=");
        view.Find("[data-testid='decision-detail-policy'] a").TextContent.Trim().ShouldStartWith("Policy ");
        view.Find("[data-testid='decision-detail-policy'] a").TextContent.ShouldContain(", saved version ");
        var parameters = view.Find("[data-testid='decision-detail-parameters']").TextContent;
        parameters.ShouldContain("INV-7");
        parameters.ShouldNotContain("jane.doe@example.com");
    }

    [Fact]
    public async Task ADecisionOfAnotherOwnersAgent_IsNotShown()
    {
        var held = await ApprovalScenario.HoldAsync(App);
        await SignInAsync(DemoAccounts.Owner2);

        var view = Render<DecisionDetailView>(p => p.Add(c => c.DecisionId, held.DecisionId));

        view.WaitForAssertion(() => view.Find("[data-testid='decision-detail-error']").TextContent.ShouldContain("No decision"), TimeSpan.FromSeconds(10));
        view.FindAll("[data-testid='decision-detail']").ShouldBeEmpty();
    }
}
