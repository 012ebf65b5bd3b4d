using System.Security.Cryptography;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;

namespace Warden.Tests.Infrastructure.Keys;

public sealed class KeyEncryptionKeyTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("warden-kek-");

    [Fact]
    public void TryOpen_AValueSealedForAnotherKeyName_OpensNothing()
    {
        var kek = new KeyEncryptionKey(RandomNumberGenerator.GetBytes(32), "test");
        var sealedValue = kek.Seal("secret"u8, "masking");

        kek.TryOpen(sealedValue, "masking").ShouldBe("secret"u8.ToArray());
        kek.TryOpen(sealedValue, "audit-checkpoint").ShouldBeNull();
    }

    [Fact]
    public void Resolve_OnPostgresWithoutAKey_StopsStartUpNamingTheSetting()
    {
        var refused = Should.Throw<StartupException>(() => KeyEncryptionKey.Resolve(new KeyOptions(), Postgres()));

        refused.Message.ShouldContain("Keys:EncryptionKey");
        refused.Message.ShouldContain("Postgres");
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Resolve_AMalformedKey_StopsStartUpNamingTheSetting(string value)
    {
        var refused = Should.Throw<StartupException>(() => KeyEncryptionKey.Resolve(new KeyOptions { EncryptionKey = value }, Postgres()));

        refused.Message.ShouldContain("Keys:EncryptionKey must be the base64 of 32 random bytes");
    }

    [Fact]
    public void Resolve_FromAFileOfBase64_OpensWhatTheSameConfiguredKeySealed()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var file = Path.Combine(_data.FullName, "kek.txt");
        File.WriteAllText(file, key + "\n");

        var fromFile = KeyEncryptionKey.Resolve(new KeyOptions { EncryptionKeyFile = file }, Postgres());
        var inline = KeyEncryptionKey.Resolve(new KeyOptions { EncryptionKey = key }, Postgres());

        fromFile.TryOpen(inline.Seal("x"u8, "c"), "c").ShouldBe("x"u8.ToArray());
    }

    [Fact]
    public void Resolve_OnSqliteWithoutAKey_GeneratesOneOnceIntoTheDataFolder()
    {
        var sqlite = new DatabaseConnection(DatabaseProvider.Sqlite, string.Empty, _data.FullName);

        var first = KeyEncryptionKey.Resolve(new KeyOptions(), sqlite);
        var again = KeyEncryptionKey.Resolve(new KeyOptions(), sqlite);

        again.Id.ShouldBe(first.Id);
        var file = Path.Combine(_data.FullName, KeyEncryptionKey.GeneratedFileName);
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose() => _data.Delete(recursive: true);

    private DatabaseConnection Postgres() => new(DatabaseProvider.Postgres, "Host=localhost", _data.FullName);
}
