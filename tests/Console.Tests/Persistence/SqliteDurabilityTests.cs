using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Persistence;

[Collection(AppCollection.Name)]
public sealed class SqliteDurabilityTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task Database_RunsInWriteAheadLogMode()
    {
        await using var db = await CreateContextAsync();

        var mode = await PragmaAsync(db, "journal_mode");

        mode.ShouldBe("wal");
    }

    [Fact]
    public async Task Connections_SynchroniseFully()
    {
        await using var db = await CreateContextAsync();

        var synchronous = await PragmaAsync(db, "synchronous");

        synchronous.ShouldBe("2", "2 is FULL: every acknowledged commit survives power loss");
    }

    [Fact]
    public async Task Connections_EnforceForeignKeys()
    {
        await using var db = await CreateContextAsync();

        var foreignKeys = await PragmaAsync(db, "foreign_keys");

        foreignKeys.ShouldBe("1");
    }

    [Fact]
    public async Task Database_IsTheFileInTheConfiguredDataFolder()
    {
        await using var db = await CreateContextAsync();

        var file = await QueryAsync(db, "SELECT file FROM pragma_database_list WHERE name = 'main'");

        file.ShouldBe(Path.Combine(app.DataDirectory, "warden.db"));
        File.Exists(file).ShouldBeTrue();
    }

    [Fact]
    public async Task Database_HasEveryMigrationApplied()
    {
        await using var db = await CreateContextAsync();

        var pending = await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken);

        pending.ShouldBeEmpty();
    }

    private Task<WardenDbContext> CreateContextAsync() =>
        app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

    private static Task<string?> PragmaAsync(WardenDbContext db, string pragma) => QueryAsync(db, $"PRAGMA {pragma};");

    private static async Task<string?> QueryAsync(WardenDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        try
        {
            await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
