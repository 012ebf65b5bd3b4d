using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class AgentsPageTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public async Task AgentsPage_StatusFilterChosenByOfficer_ListsOnlyAgentsInThatStatus()
    {
        var segment = UniqueSegment();
        var active = await RegisterAsync(DemoAccounts.Owner, segment);
        var suspended = await RegisterAsync(DemoAccounts.Owner, segment);
        (await AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.SuspendAsync(suspended, "under review"))).IsSuccess.ShouldBeTrue();
        await SignInAsync(DemoAccounts.Officer);
        var popovers = RenderPopoverProvider();
        var page = Render<AgentsPage>();
        await TypeAsync(page, "filter-segment", segment);
        page.WaitForAssertion(() => ListedAgents(page).ShouldBe([active, suspended], ignoreOrder: true));

        page.Find("[data-testid='filter-status']").MouseDown();
        popovers.WaitForElement("[role='option']");
        popovers.FindAll("[role='option']").Single(o => o.TextContent.Trim() == nameof(AgentStatus.Suspended)).Click();

        page.WaitForAssertion(() => ListedAgents(page).ShouldBe([suspended]));
    }

    [Fact]
    public async Task AgentsPage_SegmentFilterTypedByOfficer_ListsOnlyThatSegment()
    {
        var finance = await RegisterAsync(DemoAccounts.Owner, UniqueSegment());
        var support = await RegisterAsync(DemoAccounts.Owner2, UniqueSegment());
        var supportSegment = (await AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Officer, s => s.GetAgentAsync(support))).Value.Summary.Segment;
        await SignInAsync(DemoAccounts.Officer);
        var page = Render<AgentsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid^='agent-link-']").ShouldNotBeEmpty());

        await TypeAsync(page, "filter-segment", supportSegment);

        page.WaitForAssertion(() => ListedAgents(page).ShouldBe([support]));
        ListedAgents(page).ShouldNotContain(finance);
    }

    [Fact]
    public async Task AgentsPage_ForAnotherOwner_DoesNotListOwnersAgent()
    {
        var segment = UniqueSegment();
        var owners = await RegisterAsync(DemoAccounts.Owner, segment);
        var owner2s = await RegisterAsync(DemoAccounts.Owner2, segment);
        await SignInAsync(DemoAccounts.Owner2);

        var page = Render<AgentsPage>();
        await TypeAsync(page, "filter-segment", segment);

        page.WaitForAssertion(() => ListedAgents(page).ShouldBe([owner2s]));
        ListedAgents(page).ShouldNotContain(owners);
        page.FindAll("[data-testid='filter-owner']").ShouldBeEmpty();
    }

    private static string UniqueSegment() => $"seg-{Guid.NewGuid():N}"[..16];

    private async Task<string> RegisterAsync(string owner, string segment)
    {
        var draft = new AgentDraft
        {
            Name = $"Grid {segment} {Guid.NewGuid():N}"[..40],
            Purpose = "Answers supplier questions about open invoices.",
            Segment = segment,
            Tags = ["billing"],
            Tools = [new ToolDraft("erp.invoices", [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["erp/invoices/*"],
        };
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(owner, s => s.RegisterAsync(draft));
        return registered.Value;
    }

    private static List<string> ListedAgents(IRenderedComponent<AgentsPage> page) =>
        [.. page.FindAll("[data-testid^='agent-link-']").Select(a => a.GetAttribute("data-testid")!["agent-link-".Length..])];

    /// <summary>Types into a debounced filter box and leaves the field, which commits it without waiting for the debounce.</summary>
    private static async Task TypeAsync(IRenderedComponent<AgentsPage> page, string testId, string text)
    {
        var box = page.Find($"[data-testid='{testId}']");
        await box.InputAsync(new ChangeEventArgs { Value = text });
        await page.Find($"[data-testid='{testId}']").BlurAsync(new FocusEventArgs());
    }
}
