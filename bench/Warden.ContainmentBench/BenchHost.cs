using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Warden.ContainmentBench;

/// <summary>The app with demo people over a fresh SQLite folder, on a real Kestrel port of this process.</summary>
internal sealed class BenchHost : WebApplicationFactory<Program>
{
    public BenchHost()
    {
        Port = FreePort();
        UseKestrel(Port);
    }

    public int Port { get; }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("warden-containment-bench-").FullName;

    public Uri BaseAddress => new($"http://localhost:{Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot());
        builder.UseSetting("Urls", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", string.Empty);
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("Jobs:Storage", "InMemory");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:RunAgents", "false");
        builder.UseSetting("AgentApi:CallsPerMinute", "1000000000");
        // The agents a harness registers act at once; the officer's review of new agents is not what is measured.
        builder.UseSetting("Directory:NewAgentsNeedReview", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>
    /// Calls <paramref name="call"/> in a DI scope signed in as <paramref name="email"/>, as a circuit
    /// of a person who signed in just now with their second factor would (the demo people are enrolled).
    /// </summary>
    public Task<T> AsUserAsync<TService, T>(string email, Func<TService, Task<T>> call)
        where TService : notnull =>
        Warden.LoadBench.SignedInCalls.AsUserAsync(Services, email, call);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
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
        throw new InvalidOperationException("No Console.sln above the harness.");
    }
}
