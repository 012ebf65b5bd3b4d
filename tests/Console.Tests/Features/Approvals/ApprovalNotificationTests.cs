using System.Text.Json;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Approvals;

/// <summary>Notifications leave through a signed webhook, at least once, even when the receiver fails at first.</summary>
[Collection(AppCollection.Name)]
public sealed class ApprovalNotificationTests
{
    [Fact]
    public async Task EveryApprovalEvent_ArrivesOnceSignedAfterAFailedFirstAttempt_WithADeepLinkAndNoWayToActFromOutside()
    {
        await using var receiver = await WebhookReceiver.StartAsync("shared-secret-for-tests");
        await using var app = WardenAppFactory.With(new Dictionary<string, string?>
        {
            ["Notifications:WebhookUrl"] = receiver.Url,
            ["Notifications:WebhookSecret"] = receiver.Secret,
            ["Notifications:ConsoleUrl"] = "https://warden.example.com",
            ["Notifications:RetryDelaysSeconds:0"] = "1",
            ["Jobs:SchedulePollingSeconds"] = "1",
        });
        var held = await ApprovalScenario.HoldAsync(app, critical: true);
        (await app.AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer, s => s.VoteAsync(held.RequestId, Verdict.Approve, "ok"))).IsSuccess.ShouldBeTrue();
        (await app.AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer2, s => s.VoteAsync(held.RequestId, Verdict.Approve, "ok"))).IsSuccess.ShouldBeTrue();

        var expected = new[] { "approval.opened", "approval.approved" };
        for (var i = 0; i < 120 && Delivered(receiver, held).Count < expected.Length; i++)
            await Task.Delay(250, TestContext.Current.CancellationToken);

        var delivered = Delivered(receiver, held);
        var outbox = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return string.Join("; ", await db.Notifications.Select(n => $"{n.Kind} attempts={n.Attempts} error={n.LastError} delivered={n.DeliveredAt} next={n.NextAttemptAt} abandoned={n.AbandonedAt}").ToListAsync());
        });
        delivered.Select(d => d.Event).Order().ShouldBe(expected.Order(), $"receiver saw {string.Join(",", receiver.Deliveries.Select(d => d.Status))} attempts; outbox: {outbox}");
        delivered.ShouldAllBe(d => d.SignatureValid);
        foreach (var success in delivered)
        {
            var attempts = receiver.Deliveries.Where(d => d.Id == success.Id).ToList();
            attempts.Count(a => a.Status < 300).ShouldBe(1);
            attempts[0].Status.ShouldBe(500);
            var body = JsonDocument.Parse(success.Body).RootElement;
            body.GetProperty("id").GetString().ShouldBe(success.Id);
            body.GetProperty("data").GetProperty("link").GetString().ShouldBe($"https://warden.example.com/approvals/{held.RequestId}");
            success.Body.ShouldNotContain("grant", Case.Insensitive);
            success.Body.ShouldNotContain("approve?", Case.Insensitive);
        }
    }

    [Fact]
    public void TheSignatureIsHmacSha256OverTheExactBody()
    {
        var body = """{"id":"ntf_1"}"""u8.ToArray();

        var signature = Warden.Features.Notifications.WebhookDeliveryJob.Sign("key", body);

        signature.ShouldBe("sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, body)));
        Warden.Features.Notifications.WebhookDeliveryJob.Sign("other", body).ShouldNotBe(signature);
    }

    private static List<Delivery> Delivered(WebhookReceiver receiver, HeldRequest held) =>
        receiver.Deliveries.Where(d => d.Status < 300 && d.Body.Contains(held.RequestId, StringComparison.Ordinal)).ToList();
}
