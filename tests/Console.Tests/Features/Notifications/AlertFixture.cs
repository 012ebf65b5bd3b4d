using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.Notifications;
using Warden.Persistence;
using Warden.Testing;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Notifications;

/// <summary>The app with e-mail to a real SMTP server and posts to Slack- and Teams-shaped receivers, shared by one test class.</summary>
public sealed class AlertFixture : IAsyncLifetime
{
    public const string ConsoleUrl = "https://warden.example.com";

    internal SmtpSink Smtp { get; private set; } = null!;

    internal ChatReceiver Chat { get; private set; } = null!;

    public WardenAppFactory App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        Chat = await ChatReceiver.StartAsync();
        App = Start(Smtp.Port, new Dictionary<string, string?>
        {
            ["Notifications:Slack:WebhookUrl"] = Chat.UrlOf("slack"),
            ["Notifications:Teams:WebhookUrl"] = Chat.UrlOf("teams"),
            ["Notifications:AttestationNoticeDays"] = "1000",
        });
        _ = App.Server;
    }

    /// <summary>The app sending e-mail through 127.0.0.1:<paramref name="smtpPort"/>, retrying after a second.</summary>
    internal static WardenAppFactory Start(int smtpPort, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "Warden <warden@warden.example>",
            ["Notifications:ConsoleUrl"] = ConsoleUrl,
            // Every wait one second (an array setting overrides only the indexes it names).
            ["Notifications:RetryDelaysSeconds:0"] = "1",
            ["Notifications:RetryDelaysSeconds:1"] = "1",
            ["Notifications:RetryDelaysSeconds:2"] = "1",
            ["Notifications:RetryDelaysSeconds:3"] = "1",
            ["Notifications:RetryDelaysSeconds:4"] = "1",
            ["Jobs:SchedulePollingSeconds"] = "1",
        };
        foreach (var (key, value) in more ?? [])
            settings[key] = value;
        return WardenAppFactory.With(settings);
    }

    internal static Task<List<AlertDelivery>> DeliveriesAsync(WardenAppFactory app, string linkContains) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await db.Set<AlertDelivery>().AsNoTracking().Where(d => d.Link.Contains(linkContains)).ToListAsync();
        });

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Chat.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
