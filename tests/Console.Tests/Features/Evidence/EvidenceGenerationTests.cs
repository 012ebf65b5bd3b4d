using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.Evidence;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Evidence;

/// <summary>Idempotency and reproducibility: a period asked for again finds its pack, and the same spec renders the same bytes.</summary>
[Collection(AppCollection.Name)]
public sealed class EvidenceGenerationTests(EvidenceAppFactory app) : IClassFixture<EvidenceAppFactory>
{
    [Fact]
    public async Task Build_TheSameSpecTwice_GivesTheSamePdfAndExportHashes()
    {
        var pack = await app.SharedPackAsync();
        var spec = await SpecOfAsync(pack.Id);
        var builder = app.Services.GetRequiredService<EvidencePackBuilder>();
        var first = Directory.CreateTempSubdirectory("warden-rerun-").FullName;
        var second = Directory.CreateTempSubdirectory("warden-rerun-").FullName;
        try
        {
            var a = await builder.BuildAsync(spec, first, null, TestContext.Current.CancellationToken);
            var b = await builder.BuildAsync(spec, second, null, TestContext.Current.CancellationToken);

            b.PdfSha256.ShouldBe(a.PdfSha256);
            Sha(Path.Combine(second, EvidenceFiles.Export)).ShouldBe(Sha(Path.Combine(first, EvidenceFiles.Export)));
            EvidenceScenario.Volumes(first).ShouldNotBeEmpty();
            EvidenceScenario.Volumes(second).Select(Sha).ShouldBe(EvidenceScenario.Volumes(first).Select(Sha));
            a.PdfSha256.ShouldBe(pack.PdfSha256);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public async Task Generate_ForAPeriodThatAlreadyHasAPack_ReturnsThatPackAndReplacesNothing()
    {
        var pack = await app.SharedPackAsync();
        var spec = await SpecOfAsync(pack.Id);
        var stored = await File.ReadAllBytesAsync(Path.Combine(await EvidenceScenario.FolderAsync(app, pack.Id), EvidenceFiles.Pdf), TestContext.Current.CancellationToken);

        var again = await app.AsUserAsync<EvidenceService, Result<EvidencePackRow>>(DemoAccounts.Officer,
            s => s.GenerateAsync(new EvidenceRequest(spec.Scope, spec.ScopeTarget, spec.PeriodStart, spec.PeriodEnd), TestContext.Current.CancellationToken));

        again.IsSuccess.ShouldBeTrue(again.Error.ToString());
        again.Value.Id.ShouldBe(pack.Id);
        again.Value.Status.ShouldBe(EvidencePackStatus.Completed);
        again.Value.PdfSha256.ShouldBe(pack.PdfSha256);
        (await File.ReadAllBytesAsync(Path.Combine(await EvidenceScenario.FolderAsync(app, pack.Id), EvidenceFiles.Pdf), TestContext.Current.CancellationToken)).ShouldBe(stored);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        (await db.EvidencePacks.CountAsync(p => p.Key == spec.Key, TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task Pack_ReportsItsSizeTimeAndCompletenessHonestly()
    {
        var pack = await app.SharedPackAsync();

        pack.PdfBytes.ShouldBeGreaterThan(0);
        pack.ExportBytes.ShouldBeGreaterThan(0);
        pack.EventCount.ShouldBeGreaterThanOrEqualTo(EvidenceAppFactory.SeededEvents);
        pack.Completeness.ShouldBeInRange(1, 100);
        pack.CompletenessNotes.ShouldNotBeNull().ShouldContain("controls met");
    }

    [Fact]
    public async Task RetentionJob_RemovesAPackPastItsRetention_AndRecordsIt()
    {
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var spec = EvidencePeriods.Spec("evd_retention", "Retention", EvidenceScope.Everything, null, now.AddDays(-40), now.AddDays(-39), ["Auditor"], now);
        await using (var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.EvidencePacks.Add(EvidencePack.Request(spec, "schedule", now, retentionDays: 30));
            db.EvidenceFileChunks.Add(new EvidenceFileChunk(spec.PackId, EvidenceFiles.Manifest, 0, "{}"u8.ToArray()));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await app.Services.GetRequiredService<EvidenceRetentionJob>().RunAsync(TestContext.Current.CancellationToken);

        await using var check = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken);
        (await check.EvidencePacks.AnyAsync(p => p.Id == spec.PackId, TestContext.Current.CancellationToken)).ShouldBeFalse();
        (await check.EvidenceFileChunks.AnyAsync(c => c.PackId == spec.PackId, TestContext.Current.CancellationToken)).ShouldBeFalse();
        (await check.AuditEvents.AnyAsync(e => e.Kind == "evidence.expired" && e.Subject == spec.PackId, TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task Job_WhenTheBuildFails_RecordsTheErrorAndARetryBuildsThePack()
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var spec = EvidencePeriods.Spec(null, "Blocked", EvidenceScope.Everything, null, now.AddDays(-3), now.AddDays(-2), ["Auditor"], now);
        await using (var db = await Contexts().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            db.EvidencePacks.Add(EvidencePack.Request(spec, "test", now, retentionDays: null));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var blocker = app.Services.GetRequiredService<EvidenceStore>().BuildFolder(spec.PackId);
        Directory.CreateDirectory(Path.GetDirectoryName(blocker)!);
        await File.WriteAllTextAsync(blocker, "a file where the build wants its folder", TestContext.Current.CancellationToken);

        await app.Services.GetRequiredService<EvidencePackJob>().RunAsync(spec.PackId, TestContext.Current.CancellationToken);
        var failed = await EvidenceScenario.WaitAsync(app, spec.PackId);
        File.Delete(blocker);
        var retried = await app.AsUserAsync<EvidenceService, Result>(DemoAccounts.Auditor, s => s.RetryAsync(spec.PackId, TestContext.Current.CancellationToken));
        var rebuilt = await EvidenceScenario.WaitAsync(app, spec.PackId);

        failed.Status.ShouldBe(EvidencePackStatus.Failed);
        failed.Error.ShouldNotBeNullOrWhiteSpace();
        retried.IsSuccess.ShouldBeTrue(retried.Error.ToString());
        rebuilt.Status.ShouldBe(EvidencePackStatus.Completed, rebuilt.Error);
    }

    private IDbContextFactory<WardenDbContext> Contexts() => app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();

    private async Task<EvidencePackSpec> SpecOfAsync(string packId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return (await db.EvidencePacks.AsNoTracking().SingleAsync(p => p.Id == packId, TestContext.Current.CancellationToken)).Spec;
    }

    private static string Sha(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
