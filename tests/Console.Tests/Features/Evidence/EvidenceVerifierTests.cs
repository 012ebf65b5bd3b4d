using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.Evidence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Evidence;

/// <summary>The verifier against a real pack, untouched and with each of its files altered.</summary>
[Collection(AppCollection.Name)]
public sealed class EvidenceVerifierTests(EvidenceAppFactory app) : IClassFixture<EvidenceAppFactory>
{
    [Fact]
    public async Task Verify_AnUntouchedPack_FindsNoMismatchAndChecksTheSignature()
    {
        var pack = await app.SharedPackAsync();

        var report = await app.AsUserAsync<EvidenceVerificationService, Result<EvidenceVerificationReport>>(
            DemoAccounts.Auditor, s => s.VerifyStoredAsync(pack.Id, TestContext.Current.CancellationToken));

        report.IsSuccess.ShouldBeTrue(report.Error.ToString());
        report.Value.Verified.ShouldBeTrue(string.Join("\n", report.Value.Mismatches));
        report.Value.PackId.ShouldBe(pack.Id);
        report.Value.Passed.ShouldContain(p => p.StartsWith($"{EvidenceFiles.Manifest}: signature verifies", StringComparison.Ordinal));
        report.Value.Passed.ShouldContain(p => p.StartsWith("audit chain: still contains the pack's sealed head", StringComparison.Ordinal));
        report.Value.Passed.ShouldContain(p => p.StartsWith($"{EvidenceFiles.Volume(1)}: SHA-256", StringComparison.Ordinal));
        report.Value.Passed.ShouldContain(p => p.StartsWith("appendix: 1 volume list", StringComparison.Ordinal));
        // The signature, the PDF, the export, the one appendix volume, the appendix as a whole, the sealed head.
        report.Value.Passed.Count.ShouldBe(6);
    }

    [Theory]
    [InlineData(EvidenceFiles.Pdf, EvidenceFiles.Pdf)]
    [InlineData(EvidenceFiles.Export, EvidenceFiles.Export)]
    [InlineData(EvidenceFiles.Manifest, EvidenceFiles.Signature)]
    public async Task Verify_WithOneByteFlipped_NamesWhatNoLongerMatches(string file, string named)
    {
        var pack = await app.SharedPackAsync();
        var copy = EvidenceScenario.CopyOf(await EvidenceScenario.FolderAsync(app, pack.Id));
        try
        {
            FlipByte(Path.Combine(copy, file));

            var report = EvidencePackVerifier.Verify(copy, PublicKey());

            // A changed manifest fails its signature first; whatever else the flip changed inside it may follow.
            report.Verified.ShouldBeFalse();
            report.Mismatches[0].ShouldStartWith(named + ":");
            if (file != EvidenceFiles.Manifest)
                report.Mismatches.Count.ShouldBe(1);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Verify_WithASignatureMadeByAnotherKey_ReportsTheSignature()
    {
        var pack = await app.SharedPackAsync();
        var copy = EvidenceScenario.CopyOf(await EvidenceScenario.FolderAsync(app, pack.Id));
        try
        {
            using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var manifest = await File.ReadAllBytesAsync(Path.Combine(copy, EvidenceFiles.Manifest), TestContext.Current.CancellationToken);
            var forged = forger.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            await File.WriteAllTextAsync(Path.Combine(copy, EvidenceFiles.Signature), Convert.ToBase64String(forged), TestContext.Current.CancellationToken);

            var report = EvidencePackVerifier.Verify(copy, PublicKey());

            report.Verified.ShouldBeFalse();
            report.Mismatches.ShouldHaveSingleItem().ShouldStartWith($"{EvidenceFiles.Signature}: the signature does not match");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Verify_APackReSignedWithItsOwnNewKey_IsCaughtByTheTrustedKey()
    {
        var pack = await app.SharedPackAsync();
        var copy = EvidenceScenario.CopyOf(await EvidenceScenario.FolderAsync(app, pack.Id));
        try
        {
            using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var manifest = await File.ReadAllBytesAsync(Path.Combine(copy, EvidenceFiles.Manifest), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(copy, EvidenceFiles.Signature),
                Convert.ToBase64String(forger.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(copy, EvidenceFiles.PublicKey), forger.ExportSubjectPublicKeyInfoPem(), TestContext.Current.CancellationToken);

            var selfContained = EvidencePackVerifier.Verify(copy, trustedPublicKeyPem: null);
            var trusted = EvidencePackVerifier.Verify(copy, PublicKey());

            selfContained.Mismatches.ShouldHaveSingleItem().ShouldStartWith($"{EvidenceFiles.Manifest}: names signing key");
            trusted.Mismatches.ShouldHaveSingleItem().ShouldStartWith($"{EvidenceFiles.Signature}:");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task VerifyCommand_ExitsZeroOnAGoodPackAndPrintsEachMismatchOtherwise()
    {
        var pack = await app.SharedPackAsync();
        var copy = EvidenceScenario.CopyOf(await EvidenceScenario.FolderAsync(app, pack.Id));
        var keyFile = Path.Combine(copy, "trusted.pem");
        try
        {
            await File.WriteAllTextAsync(keyFile, PublicKey(), TestContext.Current.CancellationToken);
            var good = new StringWriter();
            var goodExit = await EvidenceCommand.RunAsync(["verify", copy, "--key", keyFile], good, TextWriter.Null);
            FlipByte(Path.Combine(copy, EvidenceFiles.Export));
            var bad = new StringWriter();

            var badExit = await EvidenceCommand.RunAsync(["verify", copy, "--key", keyFile], bad, TextWriter.Null);

            goodExit.ShouldBe(0, good.ToString());
            badExit.ShouldBe(1);
            bad.ToString().Split('\n').Where(l => l.StartsWith("MISMATCH:", StringComparison.Ordinal))
                .ShouldHaveSingleItem().ShouldStartWith($"MISMATCH: {EvidenceFiles.Export}: SHA-256 is");
            (await EvidenceCommand.RunAsync(["verify"], TextWriter.Null, TextWriter.Null)).ShouldBe(2);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task VerifyCommand_OnTheFilesAsTheyDownload_FindsThemByTheirNames()
    {
        var pack = await app.SharedPackAsync();
        var copy = EvidenceScenario.CopyOf(await EvidenceScenario.FolderAsync(app, pack.Id));
        try
        {
            File.Move(Path.Combine(copy, EvidenceFiles.Pdf), Path.Combine(copy, $"{pack.Id}.pdf"));
            File.Move(Path.Combine(copy, EvidenceFiles.Export), Path.Combine(copy, $"{pack.Id}-audit-events.jsonl.gz"));
            File.Move(Path.Combine(copy, EvidenceFiles.Manifest), Path.Combine(copy, $"{pack.Id}-manifest.json"));
            File.Move(Path.Combine(copy, EvidenceFiles.Signature), Path.Combine(copy, $"{pack.Id}-manifest.sig"));
            File.Move(Path.Combine(copy, EvidenceFiles.PublicKey), Path.Combine(copy, "warden-evidence-signing-key.pem"));
            foreach (var volume in EvidenceScenario.Volumes(copy))
                File.Move(volume, Path.Combine(copy, $"{pack.Id}-{Path.GetFileName(volume)["evidence-".Length..]}"));
            var output = new StringWriter();

            var exit = await EvidenceCommand.RunAsync(["verify", copy, "--key", Path.Combine(copy, "warden-evidence-signing-key.pem")], output, TextWriter.Null);

            exit.ShouldBe(0, output.ToString());
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task VerifyUpload_OfTheDownloadedFiles_VerifiesAndCatchesAnAlteredPdf()
    {
        var pack = await app.SharedPackAsync();
        var folder = await EvidenceScenario.FolderAsync(app, pack.Id);
        var pdf = await File.ReadAllBytesAsync(Path.Combine(folder, EvidenceFiles.Pdf), TestContext.Current.CancellationToken);
        List<EvidenceUpload> Uploads(byte[] pdfBytes) =>
        [
            new($"{pack.Id}.pdf", new MemoryStream(pdfBytes)),
            new($"{pack.Id}-audit-events.jsonl.gz", File.OpenRead(Path.Combine(folder, EvidenceFiles.Export))),
            new($"{pack.Id}-manifest.json", File.OpenRead(Path.Combine(folder, EvidenceFiles.Manifest))),
            new($"{pack.Id}-manifest.sig", File.OpenRead(Path.Combine(folder, EvidenceFiles.Signature))),
            .. EvidenceScenario.Volumes(folder).Select(v => new EvidenceUpload($"{pack.Id}-{Path.GetFileName(v)["evidence-".Length..]}", File.OpenRead(v))),
        ];
        var altered = (byte[])pdf.Clone();
        altered[altered.Length / 3] ^= 0x20;

        var good = await app.AsUserAsync<EvidenceVerificationService, Result<EvidenceVerificationReport>>(DemoAccounts.Auditor,
            s => s.VerifyUploadAsync(Uploads(pdf), TestContext.Current.CancellationToken));
        var bad = await app.AsUserAsync<EvidenceVerificationService, Result<EvidenceVerificationReport>>(DemoAccounts.Auditor,
            s => s.VerifyUploadAsync(Uploads(altered), TestContext.Current.CancellationToken));

        good.Value.Verified.ShouldBeTrue(string.Join("\n", good.Value.Mismatches));
        bad.Value.Mismatches.ShouldHaveSingleItem().ShouldStartWith($"{EvidenceFiles.Pdf}: SHA-256 is");
    }

    private string PublicKey() => app.Services.GetRequiredService<EvidenceSigningKey>().PublicKeyPem;

    private static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
