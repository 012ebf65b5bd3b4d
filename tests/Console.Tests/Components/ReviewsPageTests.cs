using Bunit;
using Warden.Features.Autonomy;
using Warden.Tests.Features.Autonomy;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class ReviewsPageTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ReviewsPage_OwnerRejectsWithANote_ShowsTheViolationAndTheDecisionLink()
    {
        var agent = await ActionReviewScenario.AgentAtLevelAsync(App, 1);
        var id = (await ActionReviewScenario.WriteAsync(App, agent)).GetProperty("id").GetString();
        await SignInAsync(DemoAccounts.Owner);
        RenderPopoverProvider();
        var page = Render<ReviewsPage>();
        page.WaitForAssertion(() => Card(page, id).ShouldNotBeNull(), Patience);
        Card(page, id)!.QuerySelector("[data-testid='action-review-reject']")!.HasAttribute("disabled").ShouldBeTrue();

        page.Find($"[data-decision='{id}'] textarea[data-testid='action-review-note']").Input("Closed the wrong ticket.");
        page.Find($"[data-decision='{id}'] [data-testid='action-review-reject']").Click();

        page.WaitForAssertion(() => Card(page, id)!.GetAttribute("data-state").ShouldBe("rejected"), Patience);
        Card(page, id)!.QuerySelector("[data-testid='action-review-violation']").ShouldNotBeNull();
        Card(page, id)!.QuerySelector("[data-testid='action-review-decision']").ShouldNotBeNull();
        Card(page, id)!.QuerySelector("[data-testid='action-review-verdict']")!.TextContent.ShouldContain("Closed the wrong ticket.");
    }

    [Fact]
    public async Task ReviewsPage_ForAnAuditor_ListsTheQueueWithoutButtons()
    {
        var agent = await ActionReviewScenario.AgentAtLevelAsync(App, 1);
        var id = (await ActionReviewScenario.WriteAsync(App, agent)).GetProperty("id").GetString();
        await SignInAsync(DemoAccounts.Auditor);
        RenderPopoverProvider();

        var page = Render<ReviewsPage>();

        page.WaitForAssertion(() => Card(page, id).ShouldNotBeNull(), Patience);
        Card(page, id)!.QuerySelector("[data-testid='action-review-accept']").ShouldBeNull();
        Card(page, id)!.QuerySelector("[data-testid='action-review-cannot']")!.TextContent.ShouldContain("owners and officers review");
    }

    private static AngleSharp.Dom.IElement? Card(IRenderedComponent<ReviewsPage> page, string? id) =>
        page.FindAll($"[data-testid='action-review-card'][data-decision='{id}']") is { Count: > 0 } found ? found[0] : null;
}
