using System.ComponentModel.DataAnnotations;
using Warden.Infrastructure.Hosting;

namespace Warden.Infrastructure.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>PostgreSQL connection string; for SQLite, optional (defaults to a file in the data folder).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder for the SQLite database and generated keys, relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL: how long a starting instance waits for the server to accept connections.</summary>
    [Range(0, 3600)]
    public int StartupWaitSeconds { get; set; } = 60;

    /// <summary>PostgreSQL: how long a starting instance waits while another one migrates and seeds the database.</summary>
    [Range(1, 3600)]
    public int StartupLockSeconds { get; set; } = 300;

    /// <summary>PostgreSQL: opening a connection gives up after this long (unless the connection string says otherwise).</summary>
    [Range(1, 120)]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>PostgreSQL: a command gives up after this long (unless the connection string says otherwise), so a hung database answers 503 instead of holding requests.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// How long a statement waits for a lock another connection holds (SQLite's busy wait, PostgreSQL's
    /// lock_timeout) before it gives up and the request is answered 503: a held lock never holds requests for ever.
    /// </summary>
    [Range(1, 120)]
    public int LockWaitSeconds { get; set; } = 5;

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new StartupException(
                $"Database:Provider is '{Provider}', but it must be one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");

    public string ResolveDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);
}
