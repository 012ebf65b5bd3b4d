using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warden.Domain;
using Warden.Features.AuditLog;
using Warden.Features.Decisions.Grants;
using Warden.Features.Evidence;
using Warden.Features.Gateway;
using Warden.Features.Guardrails;
using Warden.Infrastructure.Keys;
using Warden.Persistence;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Keys;

/// <summary>What one instance signs, seals or stores, the other instance (another data folder, one database) accepts.</summary>
[Collection(AppCollection.Name)]
public sealed class TwoInstancesTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    [Fact]
    public async Task AToken_FromOneInstancesTokenEndpoint_IsAcceptedByTheOtherInstancesApi()
    {
        using var client = AgentApiClient.Client(instances.B, instances.AgentToken);

        using var response = await client.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AGrant_SignedByOneInstance_VerifiesWithTheOtherInstancesKeySet()
    {
        using var client = instances.B.CreateClient();
        var keySet = new JsonWebKeySet(await client.GetStringAsync(new Uri("/api/v1/grants/keys", UriKind.Relative), TestContext.Current.CancellationToken));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(instances.Grant, new TokenValidationParameters
        {
            IssuerSigningKeys = keySet.GetSigningKeys(),
            ValidIssuer = TwoInstances.Issuer,
            ValidAudience = GrantTokens.Audience,
            ValidTypes = [GrantTokens.Type],
        });

        result.IsValid.ShouldBeTrue(result.Exception?.Message);
        instances.B.Services.GetRequiredService<GrantTokens>().TryRead(instances.Grant, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Checkpoints_SignedByOneInstance_VerifyOnTheOther()
    {
        var report = await instances.B.AsUserAsync<AuditVerificationService, Result<AuditVerificationReport>>(DemoAccounts.Auditor, s => s.VerifyAsync());

        report.Value.Verified.ShouldBeTrue(report.Value.Reason);
        report.Value.CheckpointsChecked.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task AnEvidencePack_BuiltByOneInstance_DownloadsAndVerifiesOnTheOther()
    {
        var verified = await instances.B.AsUserAsync<EvidenceVerificationService, Result<EvidenceVerificationReport>>(DemoAccounts.Auditor,
            s => s.VerifyStoredAsync(instances.PackId, TestContext.Current.CancellationToken));
        var download = await instances.B.AsUserAsync<EvidenceService, Result<EvidenceDownload>>(DemoAccounts.Auditor,
            s => s.DownloadAsync(instances.PackId, EvidenceArtifact.Pdf, TestContext.Current.CancellationToken));
        using var pdf = new MemoryStream();
        await download.Value.WriteToAsync(pdf, TestContext.Current.CancellationToken);

        verified.Value.Verified.ShouldBeTrue(string.Join("\n", verified.Value.Mismatches));
        var manifest = await instances.A.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
            return await db.EvidencePacks.AsNoTracking().SingleAsync(p => p.Id == instances.PackId, TestContext.Current.CancellationToken);
        });
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf.ToArray())).ShouldBe(manifest.PdfSha256);
        Directory.Exists(Path.Combine(instances.A.DataDirectory, "evidence")).ShouldBeFalse();
    }

    [Fact]
    public void DataProtection_WhatOneInstanceProtects_TheOtherUnprotects()
    {
        var protector = instances.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances");

        protector.Unprotect(instances.ProtectedOnA).ShouldBe("shared payload");
        instances.B.Services.GetRequiredService<UpstreamSecrets>().Open(instances.SealedHeadersOnA)["Authorization"].ShouldBe("Bearer upstream");
    }

    [Fact]
    public async Task Keys_AreStoredOnceSealed_AndNoInstanceKeepsKeyFilesInItsDataFolder()
    {
        await using var db = await instances.B.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var stored = await db.StoredKeys.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        var ring = await db.DataProtectionKeys.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        var masking = instances.B.Services.GetRequiredService<KeyStore>().GetOrCreate(Masking.KeyName, "hmac-sha256", () => throw new InvalidOperationException("not stored"));

        stored.Select(k => k.Name).Order().ShouldBe(["audit-checkpoint", "evidence-signing", "grant-signing", "masking", "token-encryption", "token-signing"]);
        stored.ShouldAllBe(k => k.RetiredAt == null);
        stored.Single(k => k.Name == Masking.KeyName).Material.AsSpan().IndexOf(masking).ShouldBe(-1);
        ring.ShouldNotBeEmpty();
        ring.ShouldAllBe(k => k.Xml!.Contains("<sealed") && !k.Xml.Contains("masterKey"));
        foreach (var instance in new[] { instances.A, instances.B })
        {
            Directory.GetFiles(instance.DataDirectory, "*.key", SearchOption.AllDirectories).ShouldBeEmpty();
            Directory.Exists(Path.Combine(instance.DataDirectory, "keys")).ShouldBeFalse();
        }
    }
}
