using Microsoft.Playwright;
using Warden.Testing;

namespace Warden.E2E.Hosting;

/// <summary>One app host and one browser for the whole test process; every test gets a fresh context.</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ConsoleFixture()
    {
        Mail = SmtpSink.Reserve();
        Server = new WardenServer(Mail.Port);
    }

    public WardenServer Server { get; }

    /// <summary>The mail server the console sends its e-mail alerts to.</summary>
    public SmtpSink Mail { get; }

    public async ValueTask InitializeAsync()
    {
        await Mail.StartServerAsync();
        Server.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("WARDEN_CHROMIUM") ?? ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task<IPage> OpenPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
