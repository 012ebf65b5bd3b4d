using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Warden.Tests.Support;

/// <summary>
/// The real app, started in memory with its real SQLite database in a fresh temporary folder, the
/// demo people seeded and Hangfire on in-memory storage. Disposing it deletes the folder.
/// Settings go in as host settings, which Program.cs sees before it registers anything.
/// </summary>
public class WardenAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataDirectory;

    public WardenAppFactory()
        : this(settings: null)
    {
    }

    /// <param name="settings">Overrides of the defaults below, e.g. <c>["Demo:Enabled"] = "false"</c>.</param>
    /// <param name="dataDirectory">An existing data folder to start on (a restart); it is left in place on dispose.</param>
    protected WardenAppFactory(IReadOnlyDictionary<string, string?>? settings, string? dataDirectory = null)
    {
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("warden-tests-").FullName;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = string.Empty,
            ["Database:DataDirectory"] = DataDirectory,
            ["Jobs:Storage"] = "InMemory",
            ["Jobs:WorkerCount"] = "1",
            // Only the tests run the housekeeping job, so its rows are the tests' own.
            ["Jobs:HousekeepingCron"] = Cron.Never(),
            ["Demo:Enabled"] = "true",
            // Agents an owner registers are active at once here, so tests about other things can use them;
            // the review tests (Features/Agents/AgentReviewTests) start the app with the production default.
            ["Directory:NewAgentsNeedReview"] = "false",
            ["Demo:Password"] = DemoAccounts.Password,
            ["Urls"] = "http://localhost",
            ["AgentIdentity:SigningCertificatePath"] = TestTokenKeys.SigningPath,
            ["AgentIdentity:EncryptionCertificatePath"] = TestTokenKeys.EncryptionPath,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public string DataDirectory { get; }

    /// <summary>
    /// Settings that leave the token keys to the app, which generates them into its key store as it
    /// does by default (the other test apps share two key files made once, see <see cref="TestTokenKeys"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> GeneratedTokenKeys { get; } = new Dictionary<string, string?>
    {
        ["AgentIdentity:SigningCertificatePath"] = string.Empty,
        ["AgentIdentity:EncryptionCertificatePath"] = string.Empty,
    };

    /// <summary>An app with other settings, or started on the data folder of an earlier one.</summary>
    public static WardenAppFactory With(IReadOnlyDictionary<string, string?>? settings = null, string? dataDirectory = null) =>
        new Configured(settings, dataDirectory);

    /// <summary>Runs <paramref name="action"/> inside a fresh DI scope of the running app.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.UseContentRoot(RepositoryRoot.Path);
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.UseDefaultServiceProvider(options =>
        {
            options.ValidateScopes = true;
            options.ValidateOnBuild = true;
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsDataDirectory)
            return;
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the system's temp clean-up rather than failing a test.
        }
    }

    private sealed class Configured(IReadOnlyDictionary<string, string?>? settings, string? dataDirectory)
        : WardenAppFactory(settings, dataDirectory);
}
