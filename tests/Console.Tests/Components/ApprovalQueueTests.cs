using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Features.Approvals;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

/// <summary>The officer's triage: the compact list, its keyboard, the page around it and the counts it shares.</summary>
public sealed class ApprovalQueueTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private DateTimeOffset Now => App.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private IReadOnlyList<ApprovalCard> ThreeCards() =>
    [
        ApprovalTriageTests.Card("first", "critical", agent: "Payments bot", tool: "payments.send", now: Now),
        ApprovalTriageTests.Card("second", "low", agent: "Support bot", findings: ["injection.override"], escalated: true, now: Now),
        ApprovalTriageTests.Card("third", "low", agent: "Code review bot", tool: "repo.merge", now: Now),
    ];

    private static string[] Cursor(IRenderedComponent<ApprovalQueueList> list) =>
        [.. list.FindAll("[data-testid='queue-row'][data-cursor='true']").Select(r => r.GetAttribute("data-request")!)];

    [Fact]
    public void QueueList_ArrowsAndJK_MoveTheCursor_AndEnterOpensTheRowUnderIt()
    {
        ApprovalCard? opened = null;
        var list = Render<ApprovalQueueList>(p => p
            .Add(c => c.Cards, ThreeCards())
            .Add(c => c.OnOpen, card => opened = card));

        Cursor(list).ShouldBe(["first"]);
        list.FindAll("[data-testid='queue-row']")[0].KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });
        Cursor(list).ShouldBe(["second"]);
        list.FindAll("[data-testid='queue-row']")[1].KeyDown(new KeyboardEventArgs { Key = "j" });
        Cursor(list).ShouldBe(["third"]);
        list.FindAll("[data-testid='queue-row']")[2].KeyDown(new KeyboardEventArgs { Key = "j" });
        Cursor(list).ShouldBe(["third"]);
        list.FindAll("[data-testid='queue-row']")[2].KeyDown(new KeyboardEventArgs { Key = "k" });
        Cursor(list).ShouldBe(["second"]);
        opened.ShouldBeNull();

        list.FindAll("[data-testid='queue-row']")[1].KeyDown(new KeyboardEventArgs { Key = "Enter" });

        opened.ShouldNotBeNull();
        opened.Id.ShouldBe("second");
    }

    private static IElement Row(IRenderedComponent<ApprovalQueueList> list, string id) =>
        list.Find($"[data-testid='queue-row'][data-request='{id}']");

    // A row's reference is written into the markup when the row is created, and only then.
    private static string? ReferenceOf(IElement row) => row.GetAttribute("blazor:elementReference");

    [Fact]
    public void QueueList_WhenARequestArrivesAboveTheCursor_JFocusesTheRowBelowTheCursorsRequest()
    {
        var cards = ThreeCards();
        var list = Render<ApprovalQueueList>(p => p.Add(c => c.Cards, cards));
        var third = ReferenceOf(Row(list, "third"));
        Row(list, "first").KeyDown(new KeyboardEventArgs { Key = "j" });
        list.Render(p => p.Add(c => c.Cards, [ApprovalTriageTests.Card("arrived", "critical", now: Now), .. cards]));

        Row(list, "second").KeyDown(new KeyboardEventArgs { Key = "j" });

        Cursor(list).ShouldBe(["third"]);
        var focused = JSInterop.Invocations["Blazor._internal.domWrapper.focus"][^1].Arguments[0].ShouldBeOfType<ElementReference>();
        third.ShouldNotBeNullOrEmpty();
        focused.Id.ShouldBe(third);
    }

    [Fact]
    public void QueueList_WhenALiveUpdateMovesTheRows_GivesTheFocusBackToTheCursorsRow()
    {
        var focus = JSInterop.SetupModule("./Features/Approvals/ApprovalQueueList.razor.js");
        var cards = ThreeCards();
        var list = Render<ApprovalQueueList>(p => p.Add(c => c.Cards, cards));
        var second = ReferenceOf(Row(list, "second"));
        Row(list, "first").KeyDown(new KeyboardEventArgs { Key = "j" });
        focus.Invocations["keepFocus"].ShouldBeEmpty();

        list.Render(p => p.Add(c => c.Cards, [cards[2], cards[0], cards[1]]));

        Cursor(list).ShouldBe(["second"]);
        var kept = focus.Invocations["keepFocus"].ShouldHaveSingleItem();
        second.ShouldNotBeNullOrEmpty();
        kept.Arguments[1].ShouldBeOfType<ElementReference>().Id.ShouldBe(second);
    }

    [Fact]
    public void QueueList_GivesTheKeyboardFocusOnlyToTheRowUnderTheCursor()
    {
        var list = Render<ApprovalQueueList>(p => p.Add(c => c.Cards, ThreeCards()).Add(c => c.SelectedId, "third"));

        var rows = list.FindAll("[data-testid='queue-row']");
        rows.Select(r => r.GetAttribute("tabindex")).ShouldBe(["-1", "-1", "0"]);
        rows[2].ClassList.ShouldContain("warden-queue-selected");
        rows[2].GetAttribute("aria-current").ShouldBe("true");
    }

    [Fact]
    public void QueueList_ShowsTheRiskTheFindingsRaise_AndMarksEscalatedRequests()
    {
        var list = Render<ApprovalQueueList>(p => p.Add(c => c.Cards, ThreeCards()));

        var injection = list.Find("[data-testid='queue-row'][data-request='second']");
        injection.GetAttribute("data-risk").ShouldBe("high");
        injection.TextContent.ShouldContain("High");
        injection.QuerySelector("[data-testid='queue-escalated']").ShouldNotBeNull();
        list.Find("[data-testid='queue-row'][data-request='third']").QuerySelector("[data-testid='queue-escalated']").ShouldBeNull();
    }

    [Fact]
    public void QueueList_AHeaderClick_AsksForThatOrder()
    {
        QueueSort? asked = null;
        var list = Render<ApprovalQueueList>(p => p
            .Add(c => c.Cards, ThreeCards())
            .Add(c => c.Sort, QueueSort.Risk)
            .Add(c => c.Descending, true)
            .Add(c => c.OnSort, sort => asked = sort));

        list.Find("[data-testid='queue-sort-risk']").GetAttribute("aria-sort").ShouldBe("descending");
        list.Find("[data-testid='queue-sort-timeleft']").Click();

        asked.ShouldBe(QueueSort.TimeLeft);
    }

    [Fact]
    public async Task Page_TheHeaderTheTabAndTheListAgreeWithTheWaitingCount_AndEnterOpensARowBeside()
    {
        await ApprovalScenario.HoldAsync(App);
        await ApprovalScenario.HoldAsync(App, critical: true);
        await SignInAsync(DemoAccounts.Officer);
        RenderPopoverProvider();

        var page = Render<ApprovalsPage>();

        page.WaitForAssertion(() => page.FindAll("[data-testid='queue-row']").ShouldNotBeEmpty(), Patience);
        var waiting = (await AsUserAsync<ApprovalService, Result<ApprovalWaiting>>(DemoAccounts.Officer, s => s.WaitingAsync())).Value;
        page.Find("[data-testid='approvals-depth']").TextContent.ShouldBe($"{waiting.Waiting} waiting · {waiting.Escalated} escalated");
        page.FindAll(".mud-tab")[0].TextContent.ShouldContain($"Queue{waiting.Waiting}".Replace("Queue", "", StringComparison.Ordinal));
        var rows = page.FindAll("[data-testid='queue-row']");
        rows.Count.ShouldBe(waiting.Waiting);
        // Critical and escalated first by default, and the first request is open beside the list.
        var urgent = rows.Select(r => r.GetAttribute("data-risk") == "critical" || r.QuerySelector("[data-testid='queue-escalated']") is not null).ToList();
        urgent.SkipWhile(u => u).ShouldAllBe(u => !u);
        page.Find("[data-testid='queue-detail'] [data-testid='approval-card']").GetAttribute("data-request").ShouldBe(rows[0].GetAttribute("data-request"));

        rows[0].KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });
        page.FindAll("[data-testid='queue-row']")[1].KeyDown(new KeyboardEventArgs { Key = "Enter" });

        page.Find("[data-testid='queue-detail'] [data-testid='approval-card']").GetAttribute("data-request")
            .ShouldBe(page.FindAll("[data-testid='queue-row']")[1].GetAttribute("data-request"));
    }

    [Theory]
    [InlineData(DemoAccounts.Officer, false)]
    [InlineData(DemoAccounts.Auditor, true)]
    public async Task Page_ForAnAuditor_SaysItIsReadOnly_AndItsCountIsNoCallToAct(string email, bool readOnly)
    {
        await ApprovalScenario.HoldAsync(App);
        await SignInAsync(email);
        RenderPopoverProvider();

        var page = Render<ApprovalsPage>();

        page.WaitForAssertion(() => page.FindAll("[data-testid='queue-row']").ShouldNotBeEmpty(), Patience);
        page.FindAll("[data-testid='read-only-notice']").Count.ShouldBe(readOnly ? 1 : 0);
        var badge = page.Find(".mud-tab .mud-badge");
        badge.ClassList.Contains("mud-theme-error").ShouldBe(!readOnly, badge.OuterHtml);
    }

    [Fact]
    public async Task Page_ReadsTheLoadOnlyWhenItsTabIsOpened()
    {
        await ApprovalScenario.HoldAsync(App);
        await SignInAsync(DemoAccounts.Officer);
        RenderPopoverProvider();
        var page = Render<ApprovalsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid='queue-row']").ShouldNotBeEmpty(), Patience);
        page.FindAll("[data-testid='approval-load']").ShouldBeEmpty();

        page.FindAll(".mud-tab")[2].Click();

        page.WaitForAssertion(() => page.Find("[data-testid='approval-officers']").ShouldNotBeNull(), Patience);
        page.Find("[data-testid='load-depth-value']").TextContent.Trim().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task BadgeAndDashboardTiles_ShowTheSameWaitingCount_AndFollowANewRequest()
    {
        await SignInAsync(DemoAccounts.Officer);
        var badge = Render<ApprovalCountBadge>();
        var tiles = Render<ApprovalLoadTiles>();
        string Badge() => badge.FindAll("[data-testid='approvals-badge']").SingleOrDefault()?.TextContent.Trim() ?? "0";
        string Tile() => tiles.Find("[data-testid='stat-approvals-waiting-value']").TextContent.Trim();
        async Task<string> Count() => (await AsUserAsync<ApprovalService, Result<ApprovalWaiting>>(DemoAccounts.Officer, s => s.WaitingAsync())).Value.Waiting
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        tiles.WaitForAssertion(() => Tile().ShouldNotBeEmpty(), Patience);
        var before = await Count();
        Badge().ShouldBe(before);
        Tile().ShouldBe(before);

        await ApprovalScenario.HoldAsync(App);
        var after = await Count();

        after.ShouldNotBe(before);
        badge.WaitForAssertion(() => Badge().ShouldBe(after), Patience);
        tiles.WaitForAssertion(() => Tile().ShouldBe(after), Patience);
    }

    [Fact]
    public async Task HistoryCard_OfATwoOfficerApproval_KeepsTheOutcomeOutOfHeldBecause_AndShowsEachVoice()
    {
        var held = await ApprovalScenario.HoldAsync(App, critical: true);
        (await AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer, s => s.VoteAsync(held.RequestId, Verdict.Approve, "invoice matches the order"))).IsSuccess.ShouldBeTrue();
        (await AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer2, s => s.VoteAsync(held.RequestId, Verdict.Approve, "bank details verified"))).IsSuccess.ShouldBeTrue();
        await SignInAsync(DemoAccounts.Auditor);
        var card = (await AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Auditor, s => s.GetAsync(held.RequestId))).Value;

        var view = Render<ApprovalCardView>(p => p.Add(c => c.Card, card).Add(c => c.ReadOnly, true));

        var heldBecause = view.FindAll("[data-testid='approval-why-held']").Select(e => e.TextContent).ToList();
        heldBecause.ShouldNotBeEmpty();
        heldBecause.ShouldAllBe(t => !t.Contains("Approved by") && !t.Contains("bank details"));
        var outcome = view.Find("[data-testid='approval-outcome']").TextContent;
        outcome.ShouldContain("invoice matches the order");
        outcome.ShouldContain("bank details verified");
        var votes = view.FindAll("[data-testid='approval-vote']").Select(v => v.TextContent).ToList();
        votes.Count.ShouldBe(2);
        votes[0].ShouldContain("invoice matches the order");
        votes[1].ShouldContain("bank details verified");
    }

    [Fact]
    public void Card_OfARequestWithAnInjectionFinding_ShowsTheRaisedRiskAndWhy()
    {
        var card = ApprovalTriageTests.Card("inj", "low", findings: ["injection.override"], now: Now);

        var view = Render<ApprovalCardView>(p => p.Add(c => c.Card, card).Add(c => c.ReadOnly, true));

        view.Find("[data-testid='approval-risk']").TextContent.Trim().ShouldBe("High");
        view.Find("[data-testid='approval-risk-raised']").TextContent.ShouldContain("tool risk Low");
    }
}
