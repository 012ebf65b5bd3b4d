using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Features.Evidence;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Evidence;

/// <summary>
/// The appendix in volumes: packs built with volumes of <see cref="PerVolume"/> events over events
/// seeded in one commit (so they share one instant and the period holds exactly them), then checked
/// through the manifest, the verifier and the volumes' own text.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EvidenceVolumeTests(EvidenceAppFactory app) : IClassFixture<EvidenceAppFactory>
{
    private const int PerVolume = 50;

    [Fact]
    public async Task Build_With180EventsInVolumesOf50_ListsFourVolumesWithTheirRangesCountsAndDigests()
    {
        var (spec, sequences) = await SeedAsync(180);
        var folder = NewFolder();

        var result = await Builder().BuildAsync(spec, folder, null, TestContext.Current.CancellationToken);

        var manifest = Manifest(folder);
        result.EventCount.ShouldBe(180);
        manifest.Volumes.Select(v => v.Name).ShouldBe([EvidenceFiles.Volume(1), EvidenceFiles.Volume(2), EvidenceFiles.Volume(3), EvidenceFiles.Volume(4)]);
        manifest.Volumes.Select(v => v.Appendix!.Events).ShouldBe([50L, 50L, 50L, 30L]);
        manifest.Volumes.Select(v => (v.Appendix!.FirstSequence, v.Appendix.LastSequence))
            .ShouldBe([(sequences[0], sequences[49]), (sequences[50], sequences[99]), (sequences[100], sequences[149]), (sequences[150], sequences[179])]);
        foreach (var volume in manifest.Volumes)
        {
            volume.Sha256.ShouldBe(Sha(Path.Combine(folder, volume.Name)));
            volume.Bytes.ShouldBe(new FileInfo(Path.Combine(folder, volume.Name)).Length);
        }
        Verify(folder).Verified.ShouldBeTrue(string.Join("\n", Verify(folder).Mismatches));
        Verify(folder).Passed.ShouldContain("appendix: 4 volumes list all 180 events in scope.");
    }

    [Fact]
    public async Task MainPdf_ListsEveryVolumeWithItsRangeAndDigest_AndHoldsNoEventRow()
    {
        var (spec, sequences) = await SeedAsync(120);
        var folder = NewFolder();

        await Builder().BuildAsync(spec, folder, null, TestContext.Current.CancellationToken);

        var main = Compact(PdfToText(Path.Combine(folder, EvidenceFiles.Pdf)));
        foreach (var volume in Manifest(folder).Volumes)
        {
            main.ShouldContain(Compact(volume.Name));
            main.ShouldContain(volume.Sha256);
            main.ShouldContain(Compact($"{volume.Appendix!.FirstSequence} to {volume.Appendix.LastSequence}"));
        }
        main.ShouldNotContain(Compact(EvidenceScenario.Masked(app, $"card {EvidenceScenario.SeededCard} #7")));
        sequences.Count.ShouldBe(120);
    }

    [Fact]
    public async Task Volume_ReadWithPdftotext_HoldsExactlyItsOwnEventRows()
    {
        var (spec, sequences) = await SeedAsync(120);
        var folder = NewFolder();
        await Builder().BuildAsync(spec, folder, null, TestContext.Current.CancellationToken);

        var second = Compact(PdfToText(Path.Combine(folder, EvidenceFiles.Volume(2))));

        second.ShouldContain(Compact("volume 2 of 3"));
        second.ShouldContain(spec.PackId);
        foreach (var i in (int[])[51, 77, 100])
        {
            second.ShouldContain(Compact(EvidenceScenario.Masked(app, $"card {EvidenceScenario.SeededCard} #{i}")));
            second.ShouldContain(sequences[i - 1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        second.ShouldNotContain(Compact(EvidenceScenario.Masked(app, $"card {EvidenceScenario.SeededCard} #50")));
        second.ShouldNotContain(Compact(EvidenceScenario.Masked(app, $"card {EvidenceScenario.SeededCard} #101")));
        second.ShouldNotContain(EvidenceScenario.SeededCard);
        second.ShouldNotContain(EvidenceScenario.SeededEmail);
    }

    [Fact]
    public async Task Build_WithExactlyAMultipleOfTheVolumeSize_WritesOnlyFullVolumes()
    {
        var (spec, _) = await SeedAsync(3 * PerVolume);
        var folder = NewFolder();

        await Builder().BuildAsync(spec, folder, null, TestContext.Current.CancellationToken);

        Manifest(folder).Volumes.Select(v => v.Appendix!.Events).ShouldBe([50L, 50L, 50L]);
        EvidenceScenario.Volumes(folder).Count.ShouldBe(3);
        Verify(folder).Verified.ShouldBeTrue(string.Join("\n", Verify(folder).Mismatches));
    }

    [Fact]
    public async Task Build_WithNoEventsInThePeriod_WritesNoVolumeAndStillVerifies()
    {
        var start = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var spec = EvidencePeriods.Spec(null, "Empty period", EvidenceScope.Everything, null, start, start.AddDays(1), EvidenceAccess.DefaultRecipients, start.AddDays(1));
        var folder = NewFolder();

        var result = await Builder().BuildAsync(spec, folder, null, TestContext.Current.CancellationToken);

        result.EventCount.ShouldBe(0);
        Manifest(folder).Volumes.ShouldBeEmpty();
        EvidenceScenario.Volumes(folder).ShouldBeEmpty();
        Compact(PdfToText(Path.Combine(folder, EvidenceFiles.Pdf))).ShouldContain(Compact("No audit events in this period and scope."));
        Verify(folder).Verified.ShouldBeTrue(string.Join("\n", Verify(folder).Mismatches));
    }

    [Fact]
    public async Task Verify_WhenAVolumeIsAlteredRemovedOrAdded_FailsAndNamesTheVolume()
    {
        var (spec, _) = await SeedAsync(180);
        var folder = NewFolder();
        await Builder().BuildAsync(spec, folder, null, TestContext.Current.CancellationToken);
        var altered = EvidenceScenario.CopyOf(folder);
        var removed = EvidenceScenario.CopyOf(folder);
        var added = EvidenceScenario.CopyOf(folder);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(altered, EvidenceFiles.Volume(2)), TestContext.Current.CancellationToken);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(Path.Combine(altered, EvidenceFiles.Volume(2)), bytes, TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(removed, EvidenceFiles.Volume(4)));
        File.Copy(Path.Combine(added, EvidenceFiles.Volume(1)), Path.Combine(added, EvidenceFiles.Volume(5)));

        var reports = new[] { Verify(altered), Verify(removed), Verify(added) };

        reports.ShouldAllBe(r => !r.Verified);
        reports[0].Mismatches.ShouldHaveSingleItem().ShouldStartWith($"{EvidenceFiles.Volume(2)}: SHA-256 is");
        reports[1].Mismatches.ShouldHaveSingleItem().ShouldBe($"{EvidenceFiles.Volume(4)}: missing.");
        reports[2].Mismatches.ShouldHaveSingleItem().ShouldStartWith($"{EvidenceFiles.Volume(5)}: an appendix volume the manifest does not list");
    }

    [Fact]
    public async Task StoredPack_ListsItsVolumes_DownloadsEachAndRefusesOneItDoesNotHave()
    {
        var pack = await app.SharedPackAsync();

        var packs = await app.AsUserAsync<EvidenceService, Result<IReadOnlyList<EvidencePackRow>>>(DemoAccounts.Auditor, s => s.GetPacksAsync(TestContext.Current.CancellationToken));
        var first = await app.AsUserAsync<EvidenceService, Result<EvidenceDownload>>(DemoAccounts.Auditor, s => s.DownloadVolumeAsync(pack.Id, 1, TestContext.Current.CancellationToken));
        var missing = await app.AsUserAsync<EvidenceService, Result<EvidenceDownload>>(DemoAccounts.Auditor, s => s.DownloadVolumeAsync(pack.Id, 2, TestContext.Current.CancellationToken));

        packs.Value.Single(p => p.Id == pack.Id).Volumes.ShouldBe([1]);
        first.IsSuccess.ShouldBeTrue(first.Error.ToString());
        first.Value.FileName.ShouldBe($"{pack.Id}-appendix-001.pdf");
        EvidenceFiles.CanonicalName(first.Value.FileName).ShouldBe(EvidenceFiles.Volume(1));
        using var body = new MemoryStream();
        await first.Value.WriteToAsync(body, TestContext.Current.CancellationToken);
        Convert.ToHexStringLower(SHA256.HashData(body.ToArray())).ShouldBe(Manifest(await EvidenceScenario.FolderAsync(app, pack.Id)).Volumes.Single().Sha256);
        missing.Error.Code.ShouldBe("evidence.no_such_volume");
    }

    private EvidencePackBuilder Builder() => ActivatorUtilities.CreateInstance<EvidencePackBuilder>(app.Services,
        Options.Create(new EvidenceOptions { BatchSize = EvidenceAppFactory.BatchSize, AppendixEventsPerVolume = PerVolume }));

    /// <summary>Seeds <paramref name="count"/> events in one commit and returns a pack spec whose period holds exactly them.</summary>
    private async Task<(EvidencePackSpec Spec, List<long> Sequences)> SeedAsync(int count)
    {
        var kind = await EvidenceScenario.SeedEventsAsync(app, count, "volumes_" + Guid.NewGuid().ToString("N")[..8]);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Kind == kind).OrderBy(e => e.Sequence)
            .Select(e => new { e.Sequence, e.At }).ToListAsync(TestContext.Current.CancellationToken);
        events.Count.ShouldBe(count);
        events.ShouldAllBe(e => e.At == events[0].At, "events of one commit share its instant");
        var at = events[0].At;
        var spec = EvidencePeriods.Spec(null, $"Volumes {kind}", EvidenceScope.Everything, null, at, at.AddTicks(1), EvidenceAccess.DefaultRecipients, at.AddTicks(1));
        return (spec, events.ConvertAll(e => e.Sequence));
    }

    private string NewFolder() => Directory.CreateDirectory(Path.Combine(app.DataDirectory, "volume-tests", Guid.NewGuid().ToString("N"))).FullName;

    private EvidenceVerificationReport Verify(string folder) =>
        EvidencePackVerifier.Verify(folder, app.Services.GetRequiredService<EvidenceSigningKey>().PublicKeyPem);

    private static EvidenceManifest Manifest(string folder) =>
        EvidenceManifest.Parse(File.ReadAllBytes(Path.Combine(folder, EvidenceFiles.Manifest))).ShouldNotBeNull();

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The text of a PDF as poppler's pdftotext reads it.</summary>
    private static string PdfToText(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", path, "-"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
        return text;
    }

    /// <summary>The text without spaces or line breaks, so a cell that wraps still reads as one value.</summary>
    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
