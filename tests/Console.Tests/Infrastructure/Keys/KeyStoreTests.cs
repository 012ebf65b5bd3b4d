using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Keys;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Keys;

/// <summary>The key store on a real SQLite file that several stores (standing for several instances) open at once.</summary>
public sealed class KeyStoreTests : IDisposable
{
    private readonly SharedDatabase _database = new();
    private readonly KeyEncryptionKey _kek = SharedDatabase.NewKek();

    [Fact]
    public async Task GetOrCreate_ByTwoInstancesAtOnce_EndsWithOneKeyThatBothUse()
    {
        var instances = new[] { _database.Keys(_kek), _database.Keys(_kek) };

        var keys = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => instances[i % 2].GetOrCreate("race", "test", () => RandomNumberGenerator.GetBytes(32)), TestContext.Current.CancellationToken)));

        keys.Select(Convert.ToHexString).Distinct().ShouldHaveSingleItem();
        await using var db = _database.CreateDbContext();
        (await db.StoredKeys.CountAsync(k => k.Name == "race", TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task GetOrCreate_StoresTheKeySealed_SoItsBytesAreNowhereInTheDatabaseFile()
    {
        var key = _database.Keys(_kek).GetOrCreate("sealed", "test", () => RandomNumberGenerator.GetBytes(32));

        await using (var db = _database.CreateDbContext())
            (await db.StoredKeys.SingleAsync(k => k.Name == "sealed", TestContext.Current.CancellationToken)).Material.AsSpan().IndexOf(key).ShouldBe(-1);
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_database.Folder, "warden.db*"))
            File.ReadAllBytes(file).AsSpan().IndexOf(key).ShouldBe(-1, file);
    }

    [Fact]
    public void GetOrCreate_WithADataFolderKey_ImportsItOnce_AndNeverReplacesTheStoredKey()
    {
        var legacy = RandomNumberGenerator.GetBytes(32);
        var store = _database.Keys(_kek);

        var imported = store.GetOrCreate("masking", "hmac-sha256", () => RandomNumberGenerator.GetBytes(32), () => legacy);
        var later = _database.Keys(_kek).GetOrCreate("masking", "hmac-sha256", () => RandomNumberGenerator.GetBytes(32), () => RandomNumberGenerator.GetBytes(32));

        imported.ShouldBe(legacy);
        later.ShouldBe(legacy);
    }

    [Fact]
    public async Task CheckAsync_WithAnotherKeyEncryptionKey_StopsStartUp_NamingTheSettingAndNeverReplacingTheKey()
    {
        var stored = _database.Keys(_kek).GetOrCreate("checkpoint", "hmac-sha256", () => RandomNumberGenerator.GetBytes(32));
        var wrong = new KeyEncryptionKey(RandomNumberGenerator.GetBytes(32), "Keys:EncryptionKey");

        var refused = await Should.ThrowAsync<StartupException>(() => _database.Keys(wrong).CheckAsync(TestContext.Current.CancellationToken));

        refused.Message.ShouldContain("'checkpoint' does not open");
        refused.Message.ShouldContain("Keys:EncryptionKey");
        refused.Message.ShouldContain(_kek.Id);
        _database.Keys(_kek).GetOrCreate("checkpoint", "hmac-sha256", () => RandomNumberGenerator.GetBytes(32)).ShouldBe(stored);
    }

    [Fact]
    public async Task CheckAsync_WithThePreviousKeyConfigured_ResealsEveryKeyUnderTheNewOne()
    {
        var stored = _database.Keys(_kek).GetOrCreate("evidence", "test", () => RandomNumberGenerator.GetBytes(32));
        var next = SharedDatabase.NewKek();

        await _database.Keys(next, previous: _kek).CheckAsync(TestContext.Current.CancellationToken);

        await _database.Keys(next).CheckAsync(TestContext.Current.CancellationToken);
        _database.Keys(next).GetOrCreate("evidence", "test", () => RandomNumberGenerator.GetBytes(32)).ShouldBe(stored);
        await Should.ThrowAsync<StartupException>(() => _database.Keys(_kek).CheckAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RetireAsync_KeepsTheOldKeyForVerification_AndTheNextCallCreatesANewOne()
    {
        var store = _database.Keys(_kek);
        var first = store.GetOrCreate("grant-signing", "test", () => RandomNumberGenerator.GetBytes(32));

        (await store.RetireAsync("grant-signing", TestContext.Current.CancellationToken)).ShouldBeTrue();
        var second = store.GetOrCreate("grant-signing", "test", () => RandomNumberGenerator.GetBytes(32));

        second.ShouldNotBe(first);
        store.Retired("grant-signing").ShouldHaveSingleItem().ShouldBe(first);
    }

    public void Dispose() => _database.Dispose();
}
