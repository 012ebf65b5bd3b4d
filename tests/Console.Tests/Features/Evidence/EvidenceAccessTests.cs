using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.Evidence;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Evidence;

/// <summary>Who may download which pack, and that every download is itself audited.</summary>
[Collection(AppCollection.Name)]
public sealed class EvidenceAccessTests(EvidenceAppFactory app) : IClassFixture<EvidenceAppFactory>
{
    [Fact]
    public async Task Download_ByAnAuditor_IsAllowedAndRecordedInTheAuditLog()
    {
        var pack = await app.SharedPackAsync();

        var download = await DownloadAsync(DemoAccounts.Auditor, pack.Id, EvidenceArtifact.Pdf);

        download.IsSuccess.ShouldBeTrue(download.Error.ToString());
        using var body = new MemoryStream();
        await download.Value.WriteToAsync(body, TestContext.Current.CancellationToken);
        System.Text.Encoding.ASCII.GetString(body.ToArray(), 0, 5).ShouldBe("%PDF-");
        download.Value.ContentType.ShouldBe("application/pdf");
        (await DownloadEventsAsync(pack.Id)).ShouldContain(d => d.Contains("auditor@", StringComparison.Ordinal) || d.Contains("a***@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_ByAnOwner_OfAPackOverEveryAgent_IsRefusedAndNotRecorded()
    {
        var pack = await app.SharedPackAsync();
        var before = (await DownloadEventsAsync(pack.Id)).Count;

        var download = await DownloadAsync(DemoAccounts.Owner, pack.Id, EvidenceArtifact.Pdf);

        download.Error.Code.ShouldBe("evidence.not_a_recipient");
        (await DownloadEventsAsync(pack.Id)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task Download_OfAPackScopedToAnOwner_IsAllowedToThatOwnerOnly()
    {
        var ownerId = await UserIdAsync(DemoAccounts.Owner);
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var pack = await EvidenceScenario.GenerateAsync(app, DemoAccounts.Officer,
            new EvidenceRequest(EvidenceScope.Owner, ownerId, now.AddHours(-2), now.AddMinutes(-1)));

        var own = await DownloadAsync(DemoAccounts.Owner, pack.Id, EvidenceArtifact.Manifest);
        var other = await DownloadAsync(DemoAccounts.Owner2, pack.Id, EvidenceArtifact.Manifest);
        var listed = await app.AsUserAsync<EvidenceService, Result<IReadOnlyList<EvidencePackRow>>>(DemoAccounts.Owner2, s => s.GetPacksAsync(TestContext.Current.CancellationToken));

        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        own.IsSuccess.ShouldBeTrue(own.Error.ToString());
        other.Error.Code.ShouldBe("evidence.not_your_scope");
        listed.Value.ShouldNotContain(p => p.Id == pack.Id);
    }

    [Theory]
    [InlineData(DemoAccounts.Auditor)]
    [InlineData(DemoAccounts.Owner)]
    public async Task Definitions_ManagedByAnyoneButOfficersAndAdministrators_AreRefused(string email)
    {
        var created = await app.AsUserAsync<EvidenceDefinitionService, Result<string>>(email, s => s.CreateDefinitionAsync(EvidenceDefinitionTests.Valid(), TestContext.Current.CancellationToken));

        created.Error.Code.ShouldBe("access.forbidden");
    }

    [Fact]
    public async Task Generate_ByAnOwner_IsRefused()
    {
        var generated = await app.AsUserAsync<EvidenceService, Result<EvidencePackRow>>(DemoAccounts.Owner, s => s.GenerateAsync(EvidenceScenario.Today(app), TestContext.Current.CancellationToken));

        generated.Error.Code.ShouldBe("access.forbidden");
    }

    private Task<Result<EvidenceDownload>> DownloadAsync(string email, string packId, EvidenceArtifact artifact) =>
        app.AsUserAsync<EvidenceService, Result<EvidenceDownload>>(email, s => s.DownloadAsync(packId, artifact, TestContext.Current.CancellationToken));

    private async Task<List<string>> DownloadEventsAsync(string packId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.AuditEvents.Where(e => e.Kind == "evidence.downloaded" && e.Subject == packId).Select(e => e.ActorName).ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
    }
}
