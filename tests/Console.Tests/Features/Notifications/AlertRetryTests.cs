using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Warden.Domain;
using Warden.Features.Notifications;
using Warden.Testing;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Notifications;

/// <summary>An unreachable mail server holds nothing up: the alert is retried, shown failing, and delivered once it is back.</summary>
[Collection(AppCollection.Name)]
public sealed class AlertRetryTests
{
    [Fact]
    public async Task SmtpDownThenUp_DecisionIsNotBlocked_DeliveryIsRetriedShownFailingAndArrivesOnce()
    {
        await using var smtp = SmtpSink.Reserve();
        await using var app = AlertFixture.Start(smtp.Port);

        var held = await ApprovalScenario.HoldAsync(app);

        var failing = await WaitForAsync(async () =>
            (await AlertFixture.DeliveriesAsync(app, held.RequestId)).SingleOrDefault(d => d.Recipient == DemoAccounts.Officer && d.Attempts >= 1));
        failing.ShouldNotBeNull("the officer's e-mail was never attempted");
        failing.DeliveredAt.ShouldBeNull();
        failing.LastError.ShouldNotBeNullOrEmpty();
        var status = await app.AsUserAsync<AlertService, Result<AlertDeliveryStatus>>(DemoAccounts.Officer, s => s.GetDeliveryStatusAsync());
        status.IsSuccess.ShouldBeTrue(status.Error.ToString());
        status.Value.Failing.ShouldContain(f => f.Id == failing.Id && f.Channel == AlertChannels.Email && f.LastError != null);
        status.Value.Channels.Single(c => c.Channel == AlertChannels.Email).Failing.ShouldBeGreaterThan(0);
        await ShowsFailingAsync(app, failing.Id);

        await smtp.StartServerAsync();

        var delivered = await WaitForAsync(async () =>
            (await AlertFixture.DeliveriesAsync(app, held.RequestId)).SingleOrDefault(d => d.Id == failing.Id && d.DeliveredAt != null));
        delivered.ShouldNotBeNull("the e-mail was not delivered once the server was up");
        delivered.Attempts.ShouldBeGreaterThan(1);
        delivered.LastError.ShouldBeNull();
        var mails = smtp.Messages().Where(m => m.AlertId == failing.Id).ToList();
        mails.ShouldHaveSingleItem().Text.ShouldContain($"{AlertFixture.ConsoleUrl}/approvals/{held.RequestId}");
    }

    /// <summary>The delivery panel an officer sees on Notifications names the failing delivery and its error.</summary>
    private static async Task ShowsFailingAsync(WardenAppFactory app, string deliveryId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        ActingAs.Authenticate(scope.ServiceProvider, await app.PrincipalForAsync(DemoAccounts.Officer));
        await using var ui = new BunitContext();
        ui.JSInterop.Mode = JSRuntimeMode.Loose;
        ui.Services.AddMudServices();
        ui.Services.AddScoped(_ => scope.ServiceProvider.GetRequiredService<AlertService>());

        var panel = ui.Render<AlertDeliveryPanel>();

        panel.WaitForAssertion(() => panel.Find($"[data-testid='alert-failing-{deliveryId}']").TextContent.ShouldContain(DemoAccounts.Officer), TimeSpan.FromSeconds(5));
        panel.Find("[data-testid='alert-delivery-failing']").TextContent.ShouldContain("retried");
    }

    private static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var i = 0; i < 300; i++)
        {
            if (await probe() is { } found)
                return found;
            await Task.Delay(100, Xunit.TestContext.Current.CancellationToken);
        }
        return null;
    }
}
