using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Warden.Features.Agents;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Infrastructure.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddWardenStorage(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(DatabaseOptions.SectionName);
        var options = section.Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var connection = ResolveConnection(options, environment.ContentRootPath);
        services.AddSingleton(connection);
        services.AddSingleton<LiveAgents>();
        services.AddSingleton<LiveAgentsInvalidation>();

        if (connection.Provider == DatabaseProvider.Sqlite)
        {
            services.AddPooledDbContextFactory<SqliteWardenDbContext>((sp, db) => db
                .UseSqlite(connection.ConnectionString)
                .AddInterceptors(new SqliteConnectionPragmas(options.LockWaitSeconds), sp.GetRequiredService<LiveAgentsInvalidation>()));
            services.AddSingleton<IDbContextFactory<WardenDbContext>, WardenDbContextFactory<SqliteWardenDbContext>>();
            services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<SqliteWardenDbContext>>().CreateDbContext());
            services.AddScoped<WardenDbContext>(sp => sp.GetRequiredService<SqliteWardenDbContext>());
        }
        else
        {
            services.AddPooledDbContextFactory<PostgresWardenDbContext>((sp, db) => db
                .UseNpgsql(WithLockWait(connection.ConnectionString, options))
                .AddInterceptors(sp.GetRequiredService<LiveAgentsInvalidation>()));
            services.AddSingleton<IDbContextFactory<WardenDbContext>, WardenDbContextFactory<PostgresWardenDbContext>>();
            services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PostgresWardenDbContext>>().CreateDbContext());
            services.AddScoped<WardenDbContext>(sp => sp.GetRequiredService<PostgresWardenDbContext>());
        }

        services.AddSingleton<DatabaseInitializer>();
        return services;
    }

    public static DatabaseConnection ResolveConnection(DatabaseOptions options, string contentRoot)
    {
        var provider = options.ParsedProvider;
        var dataDirectory = options.ResolveDataDirectory(contentRoot);
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
                throw new StartupException("Database:ConnectionString is required when Database:Provider is Postgres.");
            return new DatabaseConnection(provider, WithTimeouts(options), dataDirectory);
        }

        var sqlite = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "warden.db") }
            : new SqliteConnectionStringBuilder(options.ConnectionString);
        sqlite.Pooling = true;
        // Microsoft.Data.Sqlite retries a busy statement until its command timeout; SQLite's own busy wait is the same bound.
        sqlite.DefaultTimeout = options.LockWaitSeconds;
        return new DatabaseConnection(provider, sqlite.ToString(), dataDirectory);
    }

    /// <summary>Bounded waits unless the operator's connection string sets its own: a hung server must not hold a request for ever.</summary>
    private static string WithTimeouts(DatabaseOptions options)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"Database:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
        var given = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        if (!given.ContainsKey("Timeout"))
            builder.Timeout = options.ConnectTimeoutSeconds;
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
            builder.CommandTimeout = options.CommandTimeoutSeconds;
        return builder.ConnectionString;
    }

    /// <summary>
    /// The app's own statements give up on a lock held elsewhere after <see cref="DatabaseOptions.LockWaitSeconds"/>
    /// (unless the connection string sets lock_timeout). The start-up lock and Hangfire keep the plain string: they wait on purpose.
    /// </summary>
    private static string WithLockWait(string connectionString, DatabaseOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!(builder.Options ?? string.Empty).Contains("lock_timeout", StringComparison.OrdinalIgnoreCase))
            builder.Options = $"{builder.Options} -c lock_timeout={options.LockWaitSeconds * 1000}".Trim();
        return builder.ConnectionString;
    }

    private sealed class WardenDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<WardenDbContext>
        where TContext : WardenDbContext
    {
        public WardenDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString, string DataDirectory);

/// <summary>
/// Durability settings SQLite keeps per connection: every acknowledged commit survives power loss. They
/// live on the physical connection, which the pool hands out again and again, so each physical
/// connection is set once, when it is first opened.
/// </summary>
public sealed class SqliteConnectionPragmas(int lockWaitSeconds) : DbConnectionInterceptor
{
    private static readonly object Set = new();

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _set = new();

    /// <summary>With the default lock wait (for tools and tests that open the database outside the app).</summary>
    public static readonly SqliteConnectionPragmas Instance = new(new DatabaseOptions().LockWaitSeconds);

    private readonly string _pragmas = $"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={lockWaitSeconds * 1000};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets the connection's durability settings unless its physical connection already has them.</summary>
    public void Ensure(DbConnection connection) => Apply(connection);

    private void Apply(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && _set.TryGetValue(handle, out _))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        if (handle is not null)
            _set.AddOrUpdate(handle, Set);
    }
}
