using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.AuditLog;
using Warden.Features.Evidence;
using Warden.Features.Gateway;
using Warden.Persistence;
using Warden.Tests.Features.AuditLog;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Keys;

/// <summary>
/// Two app instances on one SQLite database, each with its own data folder, sharing only the
/// key-encryption key and the issuer, as two instances behind a proxy do. Everything instance A
/// signs or seals is made here, before the tests look at it from instance B, so the tests read on B
/// and never interleave writers of the audit chain (keeping one chain head across instances is a
/// separate concern).
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public const string Issuer = "http://localhost/";
    private readonly DirectoryInfo _database = Directory.CreateTempSubdirectory("warden-two-instances-");

    public string EncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public WardenAppFactory A { get; private set; } = null!;

    public WardenAppFactory B { get; private set; } = null!;

    /// <summary>The access token of an agent registered on A, from A's token endpoint.</summary>
    public string AgentToken { get; private set; } = null!;

    /// <summary>The grant in A's answer to an allowed decision.</summary>
    public string Grant { get; private set; } = null!;

    public string PackId { get; private set; } = null!;

    public string ProtectedOnA { get; private set; } = null!;

    public string SealedHeadersOnA { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        A = Instance(demo: true);
        AgentToken = (await AgentApiClient.RegisterAsync(A)).Token;
        using (var client = AgentApiClient.Client(A, AgentToken))
        using (var decided = await AgentApiClient.DecideAsync(client, AgentApiClient.Body()))
        {
            var answer = await AgentApiClient.JsonOf(decided);
            answer.GetProperty("outcome").GetString().ShouldBe("allow", answer.ToString());
            Grant = answer.GetProperty("grant").GetProperty("token").GetString()!;
        }
        var writer = A.Services.GetRequiredService<AuditWriter>();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => writer.CommitAsync(new AuditBatchItem(AuditWriterTests.Entry($"two-instances-{i}")))));
        PackId = await BuildPackOnAAsync();
        ProtectedOnA = A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances").Protect("shared payload");
        SealedHeadersOnA = A.Services.GetRequiredService<UpstreamSecrets>().Seal(new Dictionary<string, string> { ["Authorization"] = "Bearer upstream" })!;

        B = Instance(demo: false);
        _ = B.Server;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database.Delete(recursive: true);
    }

    private WardenAppFactory Instance(bool demo) => WardenAppFactory.With(new Dictionary<string, string?>
    {
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(_database.FullName, "warden.db")}",
        ["Keys:EncryptionKey"] = EncryptionKey,
        ["AgentIdentity:Issuer"] = Issuer,
        ["Demo:Enabled"] = demo ? "true" : "false",
        ["Demo:RunAgents"] = "false",
    });

    /// <summary>Builds a pack with A's job, as A's Hangfire worker would.</summary>
    private async Task<string> BuildPackOnAAsync()
    {
        var now = A.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var spec = EvidencePeriods.Spec(null, "Two instances", EvidenceScope.Everything, null, now.AddHours(-1), now.AddHours(1), ["Auditor"], now);
        await using (var db = await A.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync())
        {
            db.EvidencePacks.Add(EvidencePack.Request(spec, "test", now, retentionDays: null));
            await db.SaveChangesAsync();
        }
        await A.Services.GetRequiredService<EvidencePackJob>().RunAsync(spec.PackId, CancellationToken.None);
        await using var check = await A.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        var pack = await check.EvidencePacks.AsNoTracking().SingleAsync(p => p.Id == spec.PackId);
        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        return spec.PackId;
    }
}
