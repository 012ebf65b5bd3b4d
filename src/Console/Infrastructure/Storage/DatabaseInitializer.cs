using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Infrastructure.Storage;

/// <summary>Creates the data folder and applies migrations before the app serves its first request.</summary>
public sealed class DatabaseInitializer(DatabaseConnection connection, IDbContextFactory<WardenDbContext> contexts, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(connection.DataDirectory);
        try
        {
            await using var db = contexts.CreateDbContext();
            if (connection.Provider == DatabaseProvider.Sqlite)
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            DatabaseLog.Ready(logger, connection.Provider);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException || ex.InnerException is NpgsqlException or SocketException)
        {
            var target = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
            throw new StartupException(
                $"PostgreSQL at {target.Host}:{target.Port} database '{target.Database}' cannot be reached: {ex.GetBaseException().Message}", ex);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new StartupException($"The SQLite database in '{connection.DataDirectory}' cannot be opened: {ex.Message}", ex);
        }
    }
}

internal static partial class DatabaseLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider}).")]
    public static partial void Ready(ILogger logger, DatabaseProvider provider);
}
