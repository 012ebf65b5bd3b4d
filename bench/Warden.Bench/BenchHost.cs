using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Bench;

/// <summary>
/// The app's service provider, composed as Program.cs composes it, over a fresh SQLite database
/// in a temporary folder. The web server is never started. Only <c>--explain</c> adds anything:
/// a recorder of the SQL sent.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;
    private readonly bool _keepDatabase;

    private BenchHost(WebApplication app, string dataDirectory, CommandCapture? capture, bool keepDatabase)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        _keepDatabase = keepDatabase;
        Capture = capture;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>Records the SQL the services send, when the run asks for query plans.</summary>
    public CommandCapture? Capture { get; }

    public string DatabasePath => Path.Combine(_dataDirectory, "warden.db");

    public static async Task<BenchHost> StartAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"warden-bench-{Guid.NewGuid():N}");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = ContentRoot.Locate() });
        builder.Configuration["Database:DataDirectory"] = dataDirectory;
        builder.Configuration["Jobs:Storage"] = "InMemory";
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.AddWarden();

        var capture = settings.Explain ? new CommandCapture() : null;
        if (capture is not null)
            builder.Services.ConfigureDbContext<SqliteWardenDbContext>(options => options.AddInterceptors(capture));

        var app = builder.Build();
        // The first-run banner (no administrator yet) is not part of the measurement output.
        var console = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            await app.PrepareWardenAsync(cancellationToken);
        }
        finally
        {
            Console.SetOut(console);
        }
        return new BenchHost(app, dataDirectory, capture, settings.KeepDatabase);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_keepDatabase)
            Console.WriteLine($"Database kept: {DatabasePath}");
        else if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }
}
