using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.AuditLog;
using Warden.Features.Evidence;
using Warden.Features.Gateway;
using Warden.Features.Guardrails;
using Warden.Infrastructure.Keys;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Keys;

/// <summary>An installation from before keys were shared keeps its keys: the data folder's key files are imported once.</summary>
[Collection(AppCollection.Name)]
public sealed class DataFolderUpgradeTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("warden-upgrade-");

    [Fact]
    public async Task Start_OnADataFolderWithKeyFiles_ImportsThemOnce_SoOldMaskingSignaturesAndSealedCredentialsStillWork()
    {
        var masking = RandomNumberGenerator.GetBytes(32);
        var checkpoint = RandomNumberGenerator.GetBytes(32);
        using var evidence = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllBytesAsync(Path.Combine(_data.FullName, Masking.KeyFileName), masking, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(_data.FullName, AuditCheckpointKey.FileName), checkpoint, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_data.FullName, EvidenceSigningKey.FileName), evidence.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        var oldRing = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_data.FullName, "keys", "gateway")), b => b.SetApplicationName("Warden"))
            .CreateProtector("Warden.Gateway.UpstreamHeaders.v1");
        var sealedHeaders = oldRing.Protect("""{"Authorization":"Bearer old"}""");

        await using (var first = WardenAppFactory.With(dataDirectory: _data.FullName))
            _ = first.Server;
        File.Delete(Path.Combine(_data.FullName, Masking.KeyFileName));
        await using var app = WardenAppFactory.With(dataDirectory: _data.FullName);
        var keys = app.Services.GetRequiredService<KeyStore>();

        keys.GetOrCreate(Masking.KeyName, "hmac-sha256", () => throw new InvalidOperationException("not imported")).ShouldBe(masking);
        keys.GetOrCreate(AuditCheckpointKey.KeyName, "hmac-sha256", () => throw new InvalidOperationException("not imported")).ShouldBe(checkpoint);
        app.Services.GetRequiredService<EvidenceSigningKey>().PublicKeyPem.ShouldBe(PemEncoding.WriteString("PUBLIC KEY", evidence.ExportSubjectPublicKeyInfo()));
        app.Services.GetRequiredService<UpstreamSecrets>().Open(sealedHeaders)["Authorization"].ShouldBe("Bearer old");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
