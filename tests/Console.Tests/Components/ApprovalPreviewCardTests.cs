using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.Approvals;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Previews;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

/// <summary>The approval card shows the preview of the held action (escaped, truncated with "show all") and approves what it shows.</summary>
public sealed class ApprovalPreviewCardTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ApprovalCard CardAs(string email, string requestId)
    {
        var card = App.AsUserAsync<ApprovalService, Result<ApprovalCard>>(email, s => s.GetAsync(requestId)).GetAwaiter().GetResult();
        card.IsSuccess.ShouldBeTrue(card.Error.ToString());
        return card.Value;
    }

    [Fact]
    public async Task TheCard_ShowsSummaryAmountRecordsAndTheDiffEscapedInAMonospaceBlock()
    {
        var (held, digest) = await PreviewScenario.HoldAsync(App, new
        {
            summary = "Set the credit limit of account 42",
            changes = "- limit: 1000\n+ limit: 5000 <script>alert(1)</script>",
            records = new[] { "crm/accounts/42" },
            amount = 4000m,
            currency = "EUR",
        });
        await SignInAsync(DemoAccounts.Officer);

        var card = Render<ApprovalCardView>(p => p.Add(c => c.Card, CardAs(DemoAccounts.Officer, held.RequestId)));

        card.Find("[data-testid='approval-preview-summary']").TextContent.ShouldBe("Set the credit limit of account 42");
        card.Find("[data-testid='approval-preview-amount']").TextContent.ShouldContain("4,000.00 EUR");
        card.Find("[data-testid='approval-preview-records']").TextContent.ShouldContain("crm/accounts/42");
        var diff = card.Find("pre[data-testid='approval-preview-changes']");
        diff.TextContent.ShouldContain("+ limit: 5000 <script>alert(1)</script>");
        diff.QuerySelectorAll("script").ShouldBeEmpty();
        card.Find("[data-testid='approval-preview']").GetAttribute("data-digest").ShouldBe(digest);
        card.FindAll("[data-testid='approval-preview-show-all']").ShouldBeEmpty();
    }

    [Fact]
    public async Task ALongDiff_IsTruncated_AndShowAllShowsEveryLine()
    {
        var lines = string.Join('\n', Enumerable.Range(1, 80).Select(i => $"+ line {i}"));
        var (held, _) = await PreviewScenario.HoldAsync(App, new { summary = "Add 80 lines", changes = lines });
        await SignInAsync(DemoAccounts.Officer);
        var card = Render<ApprovalCardView>(p => p.Add(c => c.Card, CardAs(DemoAccounts.Officer, held.RequestId)));
        card.Find("pre[data-testid='approval-preview-changes']").TextContent.ShouldNotContain("+ line 80");

        await card.Find("[data-testid='approval-preview-show-all']").ClickAsync(new MouseEventArgs());

        card.Find("pre[data-testid='approval-preview-changes']").TextContent.ShouldContain("+ line 80");
        card.FindAll("[data-testid='approval-preview-show-all']").ShouldBeEmpty();
    }

    [Fact]
    public async Task ApprovingFromTheCard_BindsToThePreviewShown()
    {
        var (held, digest) = await PreviewScenario.HoldAsync(App, new { summary = "Rename account 42" });
        await SignInAsync(DemoAccounts.Officer);
        var card = Render<ApprovalCardView>(p => p.Add(c => c.Card, CardAs(DemoAccounts.Officer, held.RequestId)));
        card.Find("textarea[data-testid='approval-reason']").Input("the new name matches the ticket");

        await card.Find("[data-testid='approval-approve']").ClickAsync(new MouseEventArgs());

        card.WaitForAssertion(() => card.Find("[data-testid='approval-message']").TextContent.ShouldContain("Approved"), Patience);
        CardAs(DemoAccounts.Officer, held.RequestId).Votes.Single().VoidedAt.ShouldBeNull();
        (await ApprovalScenario.EventsAsync(App, "approval.voted", held.RequestId)).ShouldBe(1);
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<Warden.Persistence.WardenDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        var request = await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == held.RequestId, Xunit.TestContext.Current.CancellationToken);
        request.Votes.Single().PreviewDigest.ShouldBe(digest);
    }
}
