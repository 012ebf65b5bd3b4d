using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Features.Containment;
using Warden.Features.Notifications;
using Warden.Testing;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Notifications;

/// <summary>Alerts leave the console: e-mail to a real SMTP server as each person chose, and Slack and Teams posts, each with a deep link.</summary>
[Collection(AppCollection.Name)]
public sealed class AlertDeliveryTests(AlertFixture fixture) : IClassFixture<AlertFixture>
{
    private WardenAppFactory App => fixture.App;

    [Fact]
    public async Task ApprovalWaitingAndTrip_ReachTheOfficerByEmail_WithDeepLinks()
    {
        var held = await ApprovalScenario.HoldAsync(App);
        var reason = "alert test " + Guid.NewGuid().ToString("N")[..8];

        var trip = await App.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, held.Agent.Id, reason));

        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        var approvalLink = $"{AlertFixture.ConsoleUrl}/approvals/{held.RequestId}";
        Func<ReceivedMail, bool> Approval = m => m.Event == "approval.opened" && m.Text.Contains(approvalLink, StringComparison.Ordinal);
        Func<ReceivedMail, bool> Trip = m => m.Event == "containment.tripped" && m.Text.Contains(reason, StringComparison.Ordinal);
        var mails = await fixture.Smtp.WaitForAsync(all =>
            all.Any(m => To(m, DemoAccounts.Officer) && Approval(m)) && all.Any(m => To(m, DemoAccounts.Officer) && Trip(m)) && all.Any(m => To(m, DemoAccounts.Owner) && Trip(m)));
        var approval = mails.Where(m => To(m, DemoAccounts.Officer) && Approval(m)).ShouldHaveSingleItem();
        approval.Subject.ShouldStartWith("[Warden] Approval waiting");
        var tripped = mails.Where(m => To(m, DemoAccounts.Officer) && Trip(m)).ShouldHaveSingleItem();
        tripped.Subject.ShouldStartWith("[Warden] Kill switch tripped");
        tripped.Text.ShouldContain($"{AlertFixture.ConsoleUrl}/containment");
        mails.Where(m => To(m, DemoAccounts.Owner) && Trip(m)).ShouldHaveSingleItem();
        mails.ShouldNotContain(m => To(m, DemoAccounts.Owner) && Approval(m), "owners never receive approvals: they cannot approve their own agents' requests");
        mails.ShouldNotContain(m => To(m, DemoAccounts.Auditor) && (Approval(m) || Trip(m)));
    }

    [Fact]
    public async Task AnOfficerWhoTurnedApprovalEmailsOff_GetsNone_WhileTheOtherOfficerStillDoes()
    {
        var off = await App.AsUserAsync<AlertService, Result>(DemoAccounts.Officer2, s => s.SetEmailAsync("approval.opened", email: false));
        off.IsSuccess.ShouldBeTrue(off.Error.ToString());

        var held = await ApprovalScenario.HoldAsync(App);

        var link = $"{AlertFixture.ConsoleUrl}/approvals/{held.RequestId}";
        var mails = await fixture.Smtp.WaitForAsync(all => all.Any(m => To(m, DemoAccounts.Officer) && m.Text.Contains(link, StringComparison.Ordinal)));
        mails.ShouldContain(m => To(m, DemoAccounts.Officer) && m.Text.Contains(link, StringComparison.Ordinal));
        mails.ShouldNotContain(m => To(m, DemoAccounts.Officer2) && m.Text.Contains(link, StringComparison.Ordinal));
        var emails = (await AlertFixture.DeliveriesAsync(App, held.RequestId)).Where(d => d.Channel == AlertChannels.Email).Select(d => d.Recipient).ToList();
        emails.ShouldContain(DemoAccounts.Officer);
        emails.ShouldNotContain(DemoAccounts.Officer2);
        var mine = await App.AsUserAsync<AlertService, Result<MyAlerts>>(DemoAccounts.Officer2, s => s.GetMyAlertsAsync());
        mine.Value.Kinds.Single(k => k.Kind == "approval.opened").ShouldSatisfyAllConditions(k => k.Email.ShouldBeFalse(), k => k.IsDefault.ShouldBeFalse());
    }

    [Fact]
    public async Task SetEmail_ForAKindThatNeverReachesTheRole_IsRefused()
    {
        var result = await App.AsUserAsync<AlertService, Result>(DemoAccounts.Auditor, s => s.SetEmailAsync("approval.opened", email: true));

        result.Error.ShouldBe(AlertErrors.NotForYou);
    }

    [Fact]
    public async Task SlackAndTeams_ReceiveTheirOwnPayloadShapes_RetriedOnceAfterARefusal()
    {
        var held = await ApprovalScenario.HoldAsync(App);
        var link = $"{AlertFixture.ConsoleUrl}/approvals/{held.RequestId}";

        for (var i = 0; i < 300 && Delivered(link).Count < 2; i++)
            await Task.Delay(100, TestContext.Current.CancellationToken);

        var delivered = Delivered(link);
        var slack = delivered.Single(p => p.Channel == "slack").Body;
        slack.GetProperty("text").GetString()!.ShouldContain("Approval waiting");
        var blocks = slack.GetProperty("blocks").EnumerateArray().ToList();
        blocks[0].GetProperty("type").GetString().ShouldBe("header");
        blocks.ShouldContain(b => b.GetProperty("type").GetString() == "section" && b.GetProperty("text").GetProperty("type").GetString() == "mrkdwn");
        var button = blocks.Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements")[0];
        button.GetProperty("type").GetString().ShouldBe("button");
        button.GetProperty("url").GetString().ShouldBe(link);

        var teams = delivered.Single(p => p.Channel == "teams").Body;
        teams.GetProperty("type").GetString().ShouldBe("message");
        var attachment = teams.GetProperty("attachments").EnumerateArray().ShouldHaveSingleItem();
        attachment.GetProperty("contentType").GetString().ShouldBe("application/vnd.microsoft.card.adaptive");
        var card = attachment.GetProperty("content");
        card.GetProperty("type").GetString().ShouldBe("AdaptiveCard");
        card.GetProperty("body").EnumerateArray().ShouldContain(e => e.GetProperty("type").GetString() == "FactSet");
        var action = card.GetProperty("actions")[0];
        action.GetProperty("type").GetString().ShouldBe("Action.OpenUrl");
        action.GetProperty("url").GetString().ShouldBe(link);

        var posts = fixture.Chat.Posts.Where(p => p.Body.ToString().Contains(link, StringComparison.Ordinal)).ToList();
        posts.Count(p => p.Channel == "slack").ShouldBe(2);
        posts.Count(p => p.Channel == "teams").ShouldBe(2);
        var rows = (await AlertFixture.DeliveriesAsync(App, held.RequestId)).Where(d => d.Channel != AlertChannels.Email).ToList();
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(d => d.Attempts == 2 && d.DeliveredAt != null && d.LastError == null);
    }

    [Fact]
    public async Task AttestationNotices_AreAnnouncedOnce_HoweverOftenTheDailyJobRuns()
    {
        var first = await App.InScopeAsync(sp => sp.GetRequiredService<AlertCalendarJob>().RunAsync(CancellationToken.None));

        var second = await App.InScopeAsync(sp => sp.GetRequiredService<AlertCalendarJob>().RunAsync(CancellationToken.None));

        first.ShouldBeGreaterThan(0, "every agent's attestation falls due within the 1000 days this app announces ahead");
        second.ShouldBe(0);
    }

    private List<ChatPost> Delivered(string link) =>
        fixture.Chat.Posts.Where(p => p.Status == 200 && p.Body.ToString().Contains(link, StringComparison.Ordinal)).ToList();

    private static bool To(ReceivedMail mail, string address) => mail.EnvelopeTo.Contains(address, StringComparison.OrdinalIgnoreCase);
}
