using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

[assembly: AssemblyFixture(typeof(Warden.Client.Tests.Support.WardenHost))]

namespace Warden.Client.Tests.Support;

/// <summary>
/// The real console on a real Kestrel port, as <c>--demo</c> starts it (demo people and agents seeded)
/// but without the background demo runner, on a throw-away data folder. One per test process: the
/// jobs library keeps its configuration in static state.
/// </summary>
public sealed class WardenHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DemoSecret = "Warden-Demo-Agent-1";
    public const string DemoPassword = "Warden-Demo-1";
    public const string Support = "agt_demo_support";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("warden-client-tests-").FullName;

    public WardenHost()
    {
        Port = FreePort();
        UseKestrel(Port);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://localhost:{Port}");

    public ValueTask InitializeAsync()
    {
        StartServer();
        return ValueTask.CompletedTask;
    }

    /// <summary>A client acting as <paramref name="clientId"/> with a secret (the demo agents' by default).</summary>
    public WardenClient ClientFor(string clientId = Support, string secret = DemoSecret, HttpClient? http = null, int maxRetries = 3) =>
        WardenClient.Create(Options(clientId, o => o.ClientSecret = secret, maxRetries), http);

    public WardenClientOptions Options(string clientId, Action<WardenClientOptions> credentials, int maxRetries = 3)
    {
        var options = new WardenClientOptions { BaseAddress = BaseAddress, ClientId = clientId, MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(50) };
        credentials(options);
        return options;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.UseContentRoot(RepositoryRoot());
        builder.UseSetting("Urls", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", string.Empty);
        builder.UseSetting("Database:DataDirectory", _dataDirectory);
        builder.UseSetting("Jobs:Storage", "InMemory");
        builder.UseSetting("Jobs:WorkerCount", "1");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:RunAgents", "false");
        builder.UseSetting("Demo:Password", DemoPassword);
        builder.UseSetting("Demo:AgentSecret", DemoSecret);
        // The agents these tests register act at once; the officer's review of new agents is tested in Console.Tests.
        builder.UseSetting("Directory:NewAgentsNeedReview", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the system's temp clean-up rather than failing the run.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Console.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Console.sln above {AppContext.BaseDirectory}.");
    }
}
