using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Infrastructure.Storage;

/// <summary>
/// Creates the data folder and applies migrations before the app serves its first request. On
/// PostgreSQL it first waits (with backoff, for a bounded time) for the server to answer, then takes
/// the start-up lock, which the caller holds until its first-start work (seeding, job storage) is done,
/// so instances starting together on one database take turns instead of racing.
/// </summary>
public sealed class DatabaseInitializer(
    DatabaseConnection connection, IDbContextFactory<WardenDbContext> contexts, IOptions<DatabaseOptions> options, TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    /// <returns>The start-up lock; dispose it once the first-start work is done.</returns>
    public async Task<IAsyncDisposable> InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(connection.DataDirectory);
        if (connection.Provider == DatabaseProvider.Sqlite)
        {
            await MigrateSqliteAsync(cancellationToken);
            return StartupLock.None;
        }

        var startupLock = await PostgresStartupLock.AcquireAsync(connection.ConnectionString, options.Value, clock, logger, cancellationToken);
        try
        {
            await using var db = contexts.CreateDbContext();
            await db.Database.MigrateAsync(cancellationToken);
            DatabaseLog.Ready(logger, connection.Provider);
            return startupLock;
        }
        catch (Exception ex) when (PostgresStartupLock.IsUnreachable(ex))
        {
            await startupLock.DisposeAsync();
            throw new StartupException($"{PostgresStartupLock.Describe(connection.ConnectionString)} stopped answering while migrating: {ex.GetBaseException().Message}", ex);
        }
        catch (PostgresException ex)
        {
            await startupLock.DisposeAsync();
            throw new StartupException(
                $"{PostgresStartupLock.Describe(connection.ConnectionString)} refused a migration step ({ex.SqlState}): {ex.MessageText}", ex);
        }
        catch
        {
            await startupLock.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateSqliteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = contexts.CreateDbContext();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            DatabaseLog.Ready(logger, connection.Provider);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new StartupException($"The SQLite database in '{connection.DataDirectory}' cannot be opened: {ex.Message}", ex);
        }
    }
}

/// <summary>Held while an instance prepares the database; SQLite needs none (one instance per data folder).</summary>
public static class StartupLock
{
    public static readonly IAsyncDisposable None = new Nothing();

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal static partial class DatabaseLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider}).")]
    public static partial void Ready(ILogger logger, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Server} does not answer yet ({Reason}); trying again in {Delay} ms.")]
    public static partial void Waiting(ILogger logger, string server, string reason, int delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for another instance to finish preparing the database.")]
    public static partial void WaitingForLock(ILogger logger);
}
