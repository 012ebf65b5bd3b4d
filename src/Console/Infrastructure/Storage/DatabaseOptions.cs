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

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new StartupException(
                $"Database:Provider is '{Provider}', but it must be one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");

    public string ResolveDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);
}
