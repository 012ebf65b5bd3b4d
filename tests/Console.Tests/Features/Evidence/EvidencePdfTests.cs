using Microsoft.Extensions.DependencyInjection;
using System.IO.Compression;
using System.Text;
using UglyToad.PdfPig;
using Warden.Features.Evidence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Evidence;

/// <summary>Generated packs read back as an auditor's tools would: the PDF with PdfPig, the export as gzip JSON lines.</summary>
[Collection(AppCollection.Name)]
public sealed class EvidencePdfTests(EvidenceAppFactory app) : IClassFixture<EvidenceAppFactory>
{
    [Fact]
    public async Task Pdf_ReadBack_HasPageNumbersEverySectionAndAKnownAppendixRow()
    {
        var pack = await app.SharedPackAsync();
        var folder = await EvidenceScenario.FolderAsync(app, pack.Id);

        using var pdf = PdfDocument.Open(Path.Combine(folder, EvidenceFiles.Pdf));
        var pages = pdf.GetPages().Select(p => p.Text).ToList();
        var all = EvidenceScenario.PdfText(folder);

        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        pdf.NumberOfPages.ShouldBeGreaterThan(2);
        pages[0].ShouldContain($"Page 1 of {pdf.NumberOfPages}");
        pages[^1].ShouldContain($"Page {pdf.NumberOfPages} of {pdf.NumberOfPages}");
        pages.ShouldAllBe(p => p.Contains(pack.Id));
        foreach (var title in EvidenceSections.Titles)
            all.ShouldContain(title);
        all.ShouldContain(Warden.Features.RedTeam.RedTeamEvidenceSection.Title);
        Compact(all).ShouldContain(Compact("Tool calls within allowlists"));
        Compact(all).ShouldContain(Compact("Caught before execution"));
        all.ShouldContain("Promotion requests decided");
        all.ShouldContain(app.SharedKind);
        Compact(all).ShouldContain(Compact(EvidenceScenario.Masked(app, $"card {EvidenceScenario.SeededCard} #17")));
        Compact(all).ShouldContain(Compact(EvidenceScenario.NonLatinName));
    }

    [Fact]
    public async Task Pdf_AndExport_ShowPersonalDataOnlyMasked()
    {
        var pack = await app.SharedPackAsync();
        var folder = await EvidenceScenario.FolderAsync(app, pack.Id);

        var text = EvidenceScenario.PdfText(folder);
        var export = ReadExport(folder);

        EvidenceScenario.Masked(app, EvidenceScenario.SeededEmail).ShouldNotBe(EvidenceScenario.SeededEmail);
        text.ShouldContain(EvidenceScenario.Masked(app, EvidenceScenario.SeededEmail));
        text.ShouldNotContain(EvidenceScenario.SeededEmail);
        text.ShouldNotContain(EvidenceScenario.SeededCard);
        export.ShouldContain(EvidenceScenario.Masked(app, EvidenceScenario.SeededEmail));
        export.ShouldNotContain(EvidenceScenario.SeededEmail);
        export.ShouldNotContain(EvidenceScenario.SeededCard);
    }

    [Fact]
    public async Task Pack_ForAPeriodLongerThanABatch_ExportsAndListsEveryEventOfThePeriod()
    {
        var pack = await app.SharedPackAsync();
        var folder = await EvidenceScenario.FolderAsync(app, pack.Id);

        var lines = ReadExport(folder).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = EvidenceScenario.PdfText(folder);

        EvidenceAppFactory.SeededEvents.ShouldBeGreaterThan(2 * EvidenceAppFactory.BatchSize);
        lines.Length.ShouldBe((int)pack.EventCount);
        lines.Count(l => l.Contains(app.SharedKind, StringComparison.Ordinal)).ShouldBe(EvidenceAppFactory.SeededEvents);
        Compact(text).ShouldContain(Compact(EvidenceScenario.Masked(app, $"card {EvidenceScenario.SeededCard} #1")));
        Compact(text).ShouldContain(Compact(EvidenceScenario.Masked(app, $"card {EvidenceScenario.SeededCard} #{EvidenceAppFactory.SeededEvents}")));
    }

    [Fact]
    public async Task Pdf_CarriesTheManifestAsAnAttachmentAndThePackIdInItsMetadata()
    {
        var pack = await app.SharedPackAsync();

        using var pdf = PdfDocument.Open(Path.Combine(await EvidenceScenario.FolderAsync(app, pack.Id), EvidenceFiles.Pdf));
        pdf.Advanced.TryGetEmbeddedFiles(out var files).ShouldBeTrue();
        var manifest = EvidenceManifest.Parse(files.Single(f => f.Name == EvidenceFiles.Manifest).Bytes.ToArray());

        manifest.ShouldNotBeNull();
        manifest.PackId.ShouldBe(pack.Id);
        manifest.Artifacts.Select(a => a.Name).ShouldBe([EvidenceFiles.Export, EvidenceFiles.Volume(1)]);
        pdf.Information.DocumentInformationDictionary!.ToString().ShouldContain(pack.Id);
    }

    /// <summary>The text without spaces or line breaks, so a cell that wraps still reads as one value.</summary>
    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string ReadExport(string folder)
    {
        using var file = File.OpenRead(Path.Combine(folder, EvidenceFiles.Export));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
