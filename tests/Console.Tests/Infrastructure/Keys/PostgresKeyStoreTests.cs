using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Keys;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Keys;

/// <summary>The key store on a real PostgreSQL cluster of its own: the unique violation there is what makes instances converge.</summary>
public sealed class PostgresKeyStoreTests : IDisposable
{
    private readonly ThrowawayPostgres? _cluster = ThrowawayPostgres.Available ? ThrowawayPostgres.Start() : null;
    private readonly KeyEncryptionKey _kek = SharedDatabase.NewKek();

    [Fact]
    public async Task GetOrCreate_ByTwoInstancesAtOnce_EndsWithOneSealedKey()
    {
        var database = await DatabaseAsync();
        var instances = new[] { Keys(database, _kek), Keys(database, _kek) };

        var keys = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => instances[i % 2].GetOrCreate("race", "test", () => RandomNumberGenerator.GetBytes(32)), TestContext.Current.CancellationToken)));

        var key = keys.Select(Convert.ToHexString).Distinct().ShouldHaveSingleItem();
        await using var db = database.CreateDbContext();
        var stored = await db.StoredKeys.SingleAsync(k => k.Name == "race", TestContext.Current.CancellationToken);
        Convert.ToHexString(stored.Material).ShouldNotContain(key);
        await Should.ThrowAsync<StartupException>(() => Keys(database, SharedDatabase.NewKek()).CheckAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose() => _cluster?.Dispose();

    private async Task<PostgresContexts> DatabaseAsync()
    {
        Assert.SkipWhen(_cluster is null, "PostgreSQL 15 binaries are not installed.");
        var database = new PostgresContexts(_cluster!.ConnectionString());
        await using var db = database.CreateDbContext();
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return database;
    }

    private static KeyStore Keys(PostgresContexts database, KeyEncryptionKey kek) => new(database, kek, TimeProvider.System, NullLogger<KeyStore>.Instance);

    private sealed class PostgresContexts(string connectionString) : IDbContextFactory<WardenDbContext>
    {
        public WardenDbContext CreateDbContext() =>
            new PostgresWardenDbContext(DesignTimeModel.Options<PostgresWardenDbContext>(b => b.UseNpgsql(connectionString)));
    }
}
