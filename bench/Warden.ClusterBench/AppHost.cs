using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

namespace Warden.ClusterBench;

/// <summary>
/// One instance of the app on a real Kestrel port of this process, with the demo people, over its own
/// data folder: on PostgreSQL (a named cluster instance) or, with no connection string, on a fresh
/// SQLite database.
/// </summary>
internal sealed class AppHost : WebApplicationFactory<Program>
{
    public const string Issuer = "http://warden-cluster.bench/";

    private readonly string? _connectionString;

    public AppHost(string name, string? connectionString)
    {
        Name = name;
        _connectionString = connectionString;
        Port = FreePort();
        UseKestrel(Port);
    }

    public string Name { get; }

    public int Port { get; }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("warden-clusterbench-app-").FullName;

    public Uri BaseAddress => new($"http://localhost:{Port}");

    private static readonly string KeyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(RepositoryRoot());
        builder.UseSetting("Urls", BaseAddress.ToString().TrimEnd('/'));
        if (_connectionString is null)
        {
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:ConnectionString", string.Empty);
        }
        else
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("Database:ConnectionString", _connectionString);
        }
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("Cluster:InstanceName", Name);
        builder.UseSetting("AgentIdentity:Issuer", Issuer);
        // Every instance of the run opens the keys the first one stored with the same key-encryption key.
        builder.UseSetting("Keys:EncryptionKey", KeyEncryptionKey);
        builder.UseSetting("Jobs:Storage", "InMemory");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:RunAgents", "false");
        builder.UseSetting("AgentApi:CallsPerMinute", "1000000000");
        // The agents the harness registers act at once; the officer's review of new agents is not what is measured.
        builder.UseSetting("Directory:NewAgentsNeedReview", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
    }

    /// <summary>Calls <paramref name="call"/> in a DI scope signed in as <paramref name="email"/>, as a circuit would.</summary>
    public async Task<T> AsUserAsync<TService, T>(string email, Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        ClaimsPrincipal principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        var state = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        // As a person who signed in just now with the second factor (the demo people are enrolled).
        ((ClaimsIdentity)principal.Identity!).AddClaims(ProofClaims.For(secondFactor: true, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow()));
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

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
