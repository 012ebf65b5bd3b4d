using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Identity;

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
    public async Task<T> AsUserAsync<TService, T>(string email, Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        ClaimsPrincipal principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaims(ProofClaims.For(secondFactor: true, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow()));
        var state = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
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
