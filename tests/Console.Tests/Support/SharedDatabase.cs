using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Tests.Support;

/// <summary>A real, migrated SQLite file that several key stores (standing for several instances) open at once.</summary>
public sealed class SharedDatabase : IDbContextFactory<WardenDbContext>, IDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly bool _ownsFolder;

    /// <param name="folder">The folder to create warden.db in (an instance's data folder); by default a new temporary one, deleted on dispose.</param>
    public SharedDatabase(string? folder = null)
    {
        _ownsFolder = folder is null;
        _folder = folder is null ? Directory.CreateTempSubdirectory("warden-shared-db-") : new DirectoryInfo(folder);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.FullName, "warden.db"), DefaultTimeout = 30 }.ToString();
        using var db = CreateDbContext();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        db.Database.Migrate();
    }

    public string ConnectionString { get; }

    public string Folder => _folder.FullName;

    public static KeyEncryptionKey NewKek(string source = "test") => new(RandomNumberGenerator.GetBytes(32), source);

    public WardenDbContext CreateDbContext() =>
        new SqliteWardenDbContext(DesignTimeModel.Options<SqliteWardenDbContext>(b => b.UseSqlite(ConnectionString).AddInterceptors(SqliteConnectionPragmas.Instance)));

    public KeyStore Keys(KeyEncryptionKey kek, KeyEncryptionKey? previous = null) =>
        new(this, kek, TimeProvider.System, NullLogger<KeyStore>.Instance, previous is null ? null : new PreviousKeyEncryptionKey(previous));

    /// <summary>A data folder of an instance, as <see cref="DatabaseConnection"/> names it.</summary>
    public DatabaseConnection Instance(string dataDirectory) => new(DatabaseProvider.Sqlite, ConnectionString, dataDirectory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_ownsFolder)
            _folder.Delete(recursive: true);
    }
}
