using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Warden.Features.Evidence.Rendering;

/// <summary>
/// A4 pages laid out top to bottom. PDFsharp keeps every page until the document is saved (about
/// 5 KB of live objects per page, measured); the footer ("Page X of Y" and the pack id) is stamped in
/// a second pass at save, once the number of pages is known.
/// </summary>
internal sealed class PdfEvidenceDocument : IEvidenceDocument
{
    private const double Margin = PdfPageFlow.Margin;

    private readonly EvidenceDocumentInfo _info;
    private readonly PdfDocument _pdf = new();
    private readonly PdfPageFlow _flow;
    private PdfOutline? _section;
    private bool _afterTitle;

    public PdfEvidenceDocument(EvidenceDocumentInfo info)
    {
        _info = info;
        _flow = new PdfPageFlow(_pdf);
        _pdf.Info.Title = info.Title;
        _pdf.Info.Subject = info.Subject;
        _pdf.Info.Author = "Warden";
        _pdf.Info.Creator = "Warden evidence packs";
        _pdf.Info.CreationDate = info.CreatedAt.UtcDateTime;
        _pdf.Info.ModificationDate = info.CreatedAt.UtcDateTime;
        _pdf.Info.Elements.SetString("/WardenPackId", info.PackId);
        _pdf.PageMode = PdfPageMode.UseOutlines;
        _pdf.Options.CompressContentStreams = true;
        // The document id is derived from the pack, so the same pack renders to the same bytes.
        var id = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(info.Part is null ? info.PackId : $"{info.PackId}/{info.Part}")))[..32];
        _pdf.Internals.FirstDocumentID = id;
        _pdf.Internals.SecondDocumentID = id;
    }

    private PdfFonts Fonts => _flow.Fonts;

    public void Title(string title, string subtitle)
    {
        _flow.NewPage();
        _pdf.Outlines.Add(title, _flow.Page!, true);
        _flow.Y += 120;
        _flow.Graphics.DrawRectangle(new XSolidBrush(PdfPalette.Accent), Margin, _flow.Y - 40, 60, 6);
        foreach (var line in _flow.Wrap(title, Fonts.Title, _flow.Width, 22))
        {
            _flow.Draw(line, Fonts.Title, new XSolidBrush(PdfPalette.Ink), Margin, _flow.Y);
            _flow.Y += 30;
        }
        _flow.Y += 6;
        foreach (var line in _flow.Wrap(subtitle, Fonts.Subtitle, _flow.Width, 12))
        {
            _flow.Draw(line, Fonts.Subtitle, new XSolidBrush(PdfPalette.Muted), Margin, _flow.Y);
            _flow.Y += 18;
        }
        _flow.Y += 24;
        _afterTitle = true;
    }

    public void Heading(string text, int level = 1)
    {
        if (level <= 1)
        {
            // A section starts on a new page after the cover or when less than a third of the page is left.
            if (_afterTitle || _flow.Page is null || _flow.Bottom - _flow.Y < (_flow.Page.Height.Point - 2 * Margin) / 3)
                _flow.NewPage();
            else
                _flow.Y += 18;
            _afterTitle = false;
            _section = _pdf.Outlines.Add(text, _flow.Page!, true);
            _flow.Draw(text, Fonts.Heading, new XSolidBrush(PdfPalette.Accent), Margin, _flow.Y + 16);
            _flow.Y += 24;
            _flow.Graphics.DrawLine(new XPen(PdfPalette.Rule, 0.8), Margin, _flow.Y, Margin + _flow.Width, _flow.Y);
            _flow.Y += 14;
            return;
        }
        _flow.EnsureSpace(60);
        (_section?.Outlines ?? _pdf.Outlines).Add(text, _flow.Page!, false);
        _flow.Y += 6;
        _flow.Draw(text, Fonts.SubHeading, new XSolidBrush(PdfPalette.Ink), Margin, _flow.Y + 10);
        _flow.Y += 20;
    }

    public void Paragraph(string text, bool emphasis = false)
    {
        _flow.EnsurePage();
        var font = emphasis ? Fonts.Bold : Fonts.Body;
        foreach (var line in _flow.Wrap(text, font, _flow.Width, 9.5))
        {
            _flow.EnsureSpace(13);
            _flow.Draw(line, font, new XSolidBrush(PdfPalette.Ink), Margin, _flow.Y + 9.5);
            _flow.Y += 13;
        }
        _flow.Y += 6;
    }

    public void Facts(IReadOnlyList<KeyValuePair<string, string>> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        _flow.EnsurePage();
        const double labelWidth = 150, gap = 8;
        foreach (var (label, value) in facts)
        {
            var labels = _flow.Wrap(label, Fonts.Bold, labelWidth - gap, 9.5);
            var values = _flow.Wrap(value, Fonts.Body, _flow.Width - labelWidth, 9.5);
            var lines = Math.Max(labels.Count, values.Count);
            _flow.EnsureSpace(13 * Math.Min(lines, 3));
            for (var i = 0; i < lines; i++)
            {
                _flow.EnsureSpace(13);
                if (i < labels.Count)
                    _flow.Draw(labels[i], Fonts.Bold, new XSolidBrush(PdfPalette.Muted), Margin, _flow.Y + 9.5);
                if (i < values.Count)
                    _flow.Draw(values[i], Fonts.Body, new XSolidBrush(PdfPalette.Ink), Margin + labelWidth, _flow.Y + 9.5);
                _flow.Y += 13;
            }
            _flow.Y += 3;
        }
        _flow.Y += 6;
    }

    public IEvidenceTable Table(IReadOnlyList<EvidenceColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _flow.EnsurePage();
        return new PdfTable(_flow, columns);
    }

    public void BarChart(string caption, IReadOnlyList<ChartBar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        _flow.EnsurePage();
        const double barHeight = 12, gap = 5, labelWidth = 160, valueWidth = 50;
        _flow.EnsureSpace(20 + Math.Min(bars.Count, 10) * (barHeight + gap));
        _flow.Draw(caption, Fonts.Bold, new XSolidBrush(PdfPalette.Ink), Margin, _flow.Y + 10);
        _flow.Y += 18;
        if (bars.Count == 0)
        {
            Paragraph("Nothing to chart in this period.");
            return;
        }
        var max = Math.Max(bars.Max(b => b.Value), 1);
        var span = _flow.Width - labelWidth - valueWidth;
        foreach (var bar in bars)
        {
            _flow.EnsureSpace(barHeight + gap);
            var label = _flow.Wrap(bar.Label, Fonts.Small, labelWidth - 6, 8)[0];
            _flow.Draw(label, Fonts.Small, new XSolidBrush(PdfPalette.Ink), Margin, _flow.Y + 9);
            var length = Math.Max(span * bar.Value / max, bar.Value > 0 ? 1.5 : 0);
            _flow.Graphics.DrawRectangle(new XSolidBrush(PdfPalette.Accent), Margin + labelWidth, _flow.Y, length, barHeight);
            _flow.Draw(bar.Value.ToString("#,0.##", CultureInfo.InvariantCulture), Fonts.Small, new XSolidBrush(PdfPalette.Muted),
                Margin + labelWidth + length + 4, _flow.Y + 9);
            _flow.Y += barHeight + gap;
        }
        _flow.Y += 8;
    }

    public void Save(Stream output, IReadOnlyList<EvidenceAttachment> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        _flow.EnsurePage();
        _flow.FinishPage();
        var total = _pdf.PageCount;
        for (var i = 0; i < total; i++)
        {
            var page = _pdf.Pages[i];
            using (var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
            {
                var y = page.Height.Point - Margin;
                gfx.DrawLine(new XPen(PdfPalette.Rule, 0.6), Margin, y - 12, page.Width.Point - Margin, y - 12);
                _flow.Draw(gfx, _info.Part is null ? $"Evidence pack {_info.PackId}" : $"Evidence pack {_info.PackId} · {_info.Part}", Fonts.Small, new XSolidBrush(PdfPalette.Muted), Margin, y);
                _flow.Draw(gfx, string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {total}"), Fonts.Small, new XSolidBrush(PdfPalette.Muted),
                    new XPoint(page.Width.Point - Margin, y), XStringFormats.BaseLineRight);
            }
        }
        foreach (var attachment in attachments)
            _pdf.AddEmbeddedFile(attachment.Name, new MemoryStream(attachment.Content));
        if (!output.CanSeek || !output.CanRead || output.Position != 0)
            throw new ArgumentException("The PDF is written from the start of a readable, seekable stream (a file), so its random names can be fixed in place.", nameof(output));
        _pdf.Save(output, closeStream: false);
        output.Flush();
        PdfNormalizer.Normalize(output, _info.PackId, _info.CreatedAt);
    }

    public void Dispose()
    {
        _flow.Dispose();
        _pdf.Dispose();
    }
}
