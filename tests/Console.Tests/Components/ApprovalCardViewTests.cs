using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Features.Approvals;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class ApprovalCardViewTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ADoubleClickOnApprove_CastsOneVoteAndRecordsOneApproval()
    {
        var held = await ApprovalScenario.HoldAsync(App);
        await SignInAsync(DemoAccounts.Officer);
        var card = Render<ApprovalCardView>(p => p.Add(c => c.Card, CardAs(DemoAccounts.Officer, held.RequestId)));
        card.Find("textarea[data-testid='approval-reason']").Input("matches the ticket");

        var approve = card.Find("[data-testid='approval-approve']");
        var first = approve.ClickAsync(new MouseEventArgs());
        var second = approve.ClickAsync(new MouseEventArgs());
        await Task.WhenAll(first, second);

        card.WaitForAssertion(() => card.Find("[data-testid='approval-message']").TextContent.ShouldContain("Approved"), Patience);
        (await ApprovalScenario.EventsAsync(App, "approval.voted", held.RequestId)).ShouldBe(1);
        (await ApprovalScenario.EventsAsync(App, "approval.approved", held.RequestId)).ShouldBe(1);
    }

    [Fact]
    public async Task TheSameOfficerApprovingFromTwoOpenQueuesAtOnce_GetsOneVote_AndTheOtherCardSaysWhy()
    {
        var held = await ApprovalScenario.HoldAsync(App);
        await SignInAsync(DemoAccounts.Officer);
        var cardValue = CardAs(DemoAccounts.Officer, held.RequestId);
        var left = Render<ApprovalCardView>(p => p.Add(c => c.Card, cardValue));
        var right = Render<ApprovalCardView>(p => p.Add(c => c.Card, cardValue));
        left.Find("textarea[data-testid='approval-reason']").Input("ok");
        right.Find("textarea[data-testid='approval-reason']").Input("ok");

        await Task.WhenAll(
            left.Find("[data-testid='approval-approve']").ClickAsync(new MouseEventArgs()),
            right.Find("[data-testid='approval-approve']").ClickAsync(new MouseEventArgs()));

        string Message(IRenderedComponent<ApprovalCardView> c) => c.Find("[data-testid='approval-message']").TextContent;
        left.WaitForAssertion(() => Message(left).ShouldNotBeEmpty(), Patience);
        right.WaitForAssertion(() => Message(right).ShouldNotBeEmpty(), Patience);
        new[] { Message(left), Message(right) }.Count(m => m.StartsWith("Already approved by", StringComparison.Ordinal)).ShouldBe(1);
        (await ApprovalScenario.EventsAsync(App, "approval.voted", held.RequestId)).ShouldBe(1);
        (await ApprovalScenario.EventsAsync(App, "approval.approved", held.RequestId)).ShouldBe(1);
    }

    [Fact]
    public async Task ApprovingWithoutAReason_IsRefusedWithAReadableMessage_AndNothingIsRecorded()
    {
        var held = await ApprovalScenario.HoldAsync(App);
        await SignInAsync(DemoAccounts.Officer);
        var card = Render<ApprovalCardView>(p => p.Add(c => c.Card, CardAs(DemoAccounts.Officer, held.RequestId)));

        await card.Find("[data-testid='approval-approve']").ClickAsync(new MouseEventArgs());

        card.WaitForAssertion(() => card.Find("[data-testid='approval-message']").TextContent.ShouldBe(ApprovalErrors.ReasonRequired.Message), Patience);
        (await ApprovalScenario.EventsAsync(App, "approval.voted", held.RequestId)).ShouldBe(0);
    }

    [Fact]
    public async Task AnAuditorSeesWhyTheyCannotVote_AndNoButtons()
    {
        var held = await ApprovalScenario.HoldAsync(App);
        await SignInAsync(DemoAccounts.Auditor);

        var card = Render<ApprovalCardView>(p => p.Add(c => c.Card, CardAs(DemoAccounts.Auditor, held.RequestId)));

        card.FindAll("[data-testid='approval-approve']").ShouldBeEmpty();
        card.Find("[data-testid='approval-cannot-vote']").TextContent.ShouldContain("Only security officers");
    }

    private ApprovalCard CardAs(string email, string requestId)
    {
        var card = App.AsUserAsync<ApprovalService, Result<ApprovalCard>>(email, s => s.GetAsync(requestId)).GetAwaiter().GetResult();
        card.IsSuccess.ShouldBeTrue(card.Error.ToString());
        return card.Value;
    }
}
