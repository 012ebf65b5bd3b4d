using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Warden.Features.Decisions.Grants;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Keys;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Decisions.Grants;

/// <summary>Grant keys kept like the token keys: generated once into the shared key store, or configured, and rotated by retiring.</summary>
public sealed class GrantKeysTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("warden-grant-keys-");
    private readonly SharedDatabase _database = new();
    private readonly KeyEncryptionKey _kek = SharedDatabase.NewKek();

    [Fact]
    public void Signing_GeneratedOnce_IsTheSameKeyAfterARestart_AndWritesNoFile()
    {
        string first;
        using (var keys = Keys())
            first = keys.Signing.Id;

        using var again = Keys();

        again.Signing.Id.ShouldBe(first);
        again.Signing.Algorithm.ShouldBe("ES256");
        File.Exists(Path.Combine(_data.FullName, "keys", "grant-signing.pem")).ShouldBeFalse();
    }

    [Fact]
    public void Signing_WithAConfiguredRsaKey_SignsRs256Grants_ThatItReadsBack()
    {
        using var rsa = RSA.Create(2048);
        var pem = Write("rsa.pem", rsa.ExportPkcs8PrivateKeyPem());
        using var keys = Keys(new GrantOptions { SigningKeyPath = pem });
        var tokens = Tokens(keys);

        var grant = tokens.Sign(Claims());

        keys.Signing.Algorithm.ShouldBe("RS256");
        keys.Signing.ToJwk().Kty.ShouldBe("RSA");
        tokens.TryRead(grant, out var read).ShouldBeTrue();
        read.ShouldBe(Claims());
    }

    [Fact]
    public async Task TryRead_AGrantOfARetiredKey_StillVerifies_AndTheKeySetListsBothKeys()
    {
        string grant;
        string retiredId;
        using (var before = Keys())
        {
            grant = Tokens(before).Sign(Claims());
            retiredId = before.Signing.Id;
        }
        (await _database.Keys(_kek).RetireAsync(GrantKeys.KeyName, TestContext.Current.CancellationToken)).ShouldBeTrue();

        using var rotated = Keys();

        rotated.Signing.Id.ShouldNotBe(retiredId);
        rotated.All.Select(k => k.Id).ShouldBe([rotated.Signing.Id, retiredId]);
        Tokens(rotated).TryRead(grant, out var read).ShouldBeTrue();
        read.DecisionId.ShouldBe(Claims().DecisionId);
    }

    [Fact]
    public void Signing_WithADataFolderKeyAndRetiredKeysFromBeforeKeysWereShared_ImportsThemOnce()
    {
        using var legacy = GrantKey.NewEc();
        using var legacyRetired = GrantKey.NewEc();
        Directory.CreateDirectory(Path.Combine(_data.FullName, "keys", "grant-retired"));
        File.WriteAllText(Path.Combine(_data.FullName, "keys", "grant-signing.pem"), legacy.ExportPrivateKeyPem());
        File.WriteAllText(Path.Combine(_data.FullName, "keys", "grant-retired", "2026-11.pem"), legacyRetired.ExportPrivateKeyPem());

        using (var imported = Keys())
            imported.All.Select(k => k.Id).ShouldBe([legacy.Id, legacyRetired.Id]);
        Directory.Delete(Path.Combine(_data.FullName, "keys"), recursive: true);
        using var afterwards = Keys();

        afterwards.Signing.Id.ShouldBe(legacy.Id);
        afterwards.All.Select(k => k.Id).ShouldBe([legacy.Id, legacyRetired.Id]);
    }

    [Theory]
    [InlineData("rsa-1024")]
    [InlineData("p-384")]
    [InlineData("public key only")]
    [InlineData("not a key")]
    public void Signing_FromAKeyThatCannotSignGrants_StopsTheStartWithAClearMessage(string kind)
    {
        using var rsa = RSA.Create(1024);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = Write("key.pem", kind switch
        {
            "rsa-1024" => rsa.ExportPkcs8PrivateKeyPem(),
            "p-384" => p384.ExportPkcs8PrivateKeyPem(),
            "public key only" => p256.ExportSubjectPublicKeyInfoPem(),
            _ => "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
        });

        var refused = Should.Throw<StartupException>(() => Keys(new GrantOptions { SigningKeyPath = pem }));

        refused.Message.ShouldContain(pem);
    }

    public void Dispose()
    {
        _database.Dispose();
        _data.Delete(recursive: true);
    }

    private GrantKeys Keys(GrantOptions? options = null) =>
        new(_database.Keys(_kek), _database.Instance(_data.FullName), Options.Create(options ?? new GrantOptions()));

    private static GrantTokens Tokens(GrantKeys keys) =>
        new(keys, new GrantIssuer(Options.Create(new AgentIdentityOptions { Issuer = new Uri("https://warden.example/") }), new HttpContextAccessor()));

    private static GrantClaims Claims() => new("https://warden.example/", "dec_01JZ0000000000000000000001", "agt_01JZ0000000000000000000001",
        "crm.read", "read", "crm/accounts/7", new string('a', 64), Now, Now + GrantTokens.Lifetime);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_data.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
