using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Warden.E2E.Hosting;

/// <summary>
/// The real app on a real Kestrel port, with demo people, a throw-away data folder and in-memory jobs.
/// </summary>
public sealed class WardenServer : WebApplicationFactory<Program>
{
    /// <summary>
    /// Long enough that a page opened just before its account is disabled can still click once (and be
    /// refused by the service layer), short enough that the cookie check catches the reload soon after.
    /// </summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(15);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("warden-e2e-").FullName;
    private readonly int _smtpPort;

    /// <param name="smtpPort">The local SMTP server that receives the console's e-mail alerts.</param>
    public WardenServer(int smtpPort)
    {
        _smtpPort = smtpPort;
        Port = FreePort.Next();
        UseKestrel(Port);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://localhost:{Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot.Locate());
        builder.UseSetting("Urls", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", string.Empty);
        builder.UseSetting("Database:DataDirectory", _dataDirectory);
        builder.UseSetting("Jobs:Storage", "InMemory");
        builder.UseSetting("Demo:Enabled", "true");
        // The journeys register agents as their owner and use them at once; review has its own tests.
        builder.UseSetting("Directory:NewAgentsNeedReview", "false");
        // The journeys promote demo agents to level 2: a red-team drill must have run, but its threshold is tested in RedTeamDrillTests.
        builder.UseSetting("Autonomy:ToLevel2:MinRedTeamScore", "0");
        builder.UseSetting("Notifications:ConsoleUrl", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("Notifications:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Notifications:Smtp:Port", _smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Notifications:Smtp:Security", "None");
        builder.UseSetting("Notifications:Smtp:From", "Warden <warden@warden.example>");
        builder.UseSetting("Sessions:RevalidationSeconds", ((int)RevalidationInterval.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            TryDeleteDataDirectory();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        TryDeleteDataDirectory();
    }

    private void TryDeleteDataDirectory()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
