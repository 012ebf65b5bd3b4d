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
    private const double Margin = 48;
    private const double FooterSpace = 30;
    private const double CellPadding = 2.5;

    private static readonly XColor Ink = XColor.FromArgb(33, 37, 41);
    private static readonly XColor Muted = XColor.FromArgb(108, 117, 125);
    private static readonly XColor Accent = XColor.FromArgb(25, 74, 140);
    private static readonly XColor Rule = XColor.FromArgb(206, 212, 218);
    private static readonly XColor HeaderFill = XColor.FromArgb(233, 238, 245);

    private readonly EvidenceDocumentInfo _info;
    private readonly PdfDocument _pdf = new();
    private readonly Fonts _fonts = new();
    private PdfPage? _page;
    private XGraphics? _gfx;
    private PdfOutline? _section;
    private double _y;
    private bool _afterTitle;

    public PdfEvidenceDocument(EvidenceDocumentInfo info)
    {
        _info = info;
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
        var id = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(info.PackId)))[..32];
        _pdf.Internals.FirstDocumentID = id;
        _pdf.Internals.SecondDocumentID = id;
    }

    private double Width => _page!.Width.Point - 2 * Margin;

    private double Bottom => _page!.Height.Point - Margin - FooterSpace;

    public void Title(string title, string subtitle)
    {
        NewPage();
        _pdf.Outlines.Add(title, _page!, true);
        _y += 120;
        _gfx!.DrawRectangle(new XSolidBrush(Accent), Margin, _y - 40, 60, 6);
        foreach (var line in Wrap(title, _fonts.Title, Width, 22))
        {
            Draw(_gfx!, line, _fonts.Title, new XSolidBrush(Ink), Margin, _y);
            _y += 30;
        }
        _y += 6;
        foreach (var line in Wrap(subtitle, _fonts.Subtitle, Width, 12))
        {
            Draw(_gfx!, line, _fonts.Subtitle, new XSolidBrush(Muted), Margin, _y);
            _y += 18;
        }
        _y += 24;
        _afterTitle = true;
    }

    public void Heading(string text, int level = 1)
    {
        if (level <= 1)
        {
            // A section starts on a new page after the cover or when less than a third of the page is left.
            if (_afterTitle || _page is null || Bottom - _y < (_page.Height.Point - 2 * Margin) / 3)
                NewPage();
            else
                _y += 18;
            _afterTitle = false;
            _section = _pdf.Outlines.Add(text, _page!, true);
            Draw(_gfx!, text, _fonts.Heading, new XSolidBrush(Accent), Margin, _y + 16);
            _y += 24;
            _gfx!.DrawLine(new XPen(Rule, 0.8), Margin, _y, Margin + Width, _y);
            _y += 14;
            return;
        }
        EnsureSpace(60);
        (_section?.Outlines ?? _pdf.Outlines).Add(text, _page!, false);
        _y += 6;
        Draw(_gfx!, text, _fonts.SubHeading, new XSolidBrush(Ink), Margin, _y + 10);
        _y += 20;
    }

    public void Paragraph(string text, bool emphasis = false)
    {
        EnsurePage();
        var font = emphasis ? _fonts.Bold : _fonts.Body;
        foreach (var line in Wrap(text, font, Width, 9.5))
        {
            EnsureSpace(13);
            Draw(_gfx!, line, font, new XSolidBrush(Ink), Margin, _y + 9.5);
            _y += 13;
        }
        _y += 6;
    }

    public void Facts(IReadOnlyList<KeyValuePair<string, string>> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        EnsurePage();
        const double labelWidth = 150, gap = 8;
        foreach (var (label, value) in facts)
        {
            var labels = Wrap(label, _fonts.Bold, labelWidth - gap, 9.5);
            var values = Wrap(value, _fonts.Body, Width - labelWidth, 9.5);
            var lines = Math.Max(labels.Count, values.Count);
            EnsureSpace(13 * Math.Min(lines, 3));
            for (var i = 0; i < lines; i++)
            {
                EnsureSpace(13);
                if (i < labels.Count)
                    Draw(_gfx!, labels[i], _fonts.Bold, new XSolidBrush(Muted), Margin, _y + 9.5);
                if (i < values.Count)
                    Draw(_gfx!, values[i], _fonts.Body, new XSolidBrush(Ink), Margin + labelWidth, _y + 9.5);
                _y += 13;
            }
            _y += 3;
        }
        _y += 6;
    }

    public IEvidenceTable Table(IReadOnlyList<EvidenceColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        EnsurePage();
        return new PdfTable(this, columns);
    }

    public void BarChart(string caption, IReadOnlyList<ChartBar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        EnsurePage();
        const double barHeight = 12, gap = 5, labelWidth = 160, valueWidth = 50;
        EnsureSpace(20 + Math.Min(bars.Count, 10) * (barHeight + gap));
        Draw(_gfx!, caption, _fonts.Bold, new XSolidBrush(Ink), Margin, _y + 10);
        _y += 18;
        if (bars.Count == 0)
        {
            Paragraph("Nothing to chart in this period.");
            return;
        }
        var max = Math.Max(bars.Max(b => b.Value), 1);
        var span = Width - labelWidth - valueWidth;
        foreach (var bar in bars)
        {
            EnsureSpace(barHeight + gap);
            var label = Wrap(bar.Label, _fonts.Small, labelWidth - 6, 8)[0];
            Draw(_gfx!, label, _fonts.Small, new XSolidBrush(Ink), Margin, _y + 9);
            var length = Math.Max(span * bar.Value / max, bar.Value > 0 ? 1.5 : 0);
            _gfx!.DrawRectangle(new XSolidBrush(Accent), Margin + labelWidth, _y, length, barHeight);
            Draw(_gfx!, bar.Value.ToString("#,0.##", CultureInfo.InvariantCulture), _fonts.Small, new XSolidBrush(Muted),
                Margin + labelWidth + length + 4, _y + 9);
            _y += barHeight + gap;
        }
        _y += 8;
    }

    public void Save(Stream output, IReadOnlyList<EvidenceAttachment> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        EnsurePage();
        FinishPage();
        var total = _pdf.PageCount;
        for (var i = 0; i < total; i++)
        {
            var page = _pdf.Pages[i];
            using (var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
            {
                var y = page.Height.Point - Margin;
                gfx.DrawLine(new XPen(Rule, 0.6), Margin, y - 12, page.Width.Point - Margin, y - 12);
                Draw(gfx, $"Evidence pack {_info.PackId}", _fonts.Small, new XSolidBrush(Muted), Margin, y);
                Draw(gfx, string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {total}"), _fonts.Small, new XSolidBrush(Muted),
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
        _gfx?.Dispose();
        _pdf.Dispose();
    }

    /// <summary>
    /// Draws with the font's WinAnsi variant when every character has a WinAnsi code (one byte per
    /// glyph, the common case) and with its Unicode variant otherwise (two bytes per glyph, any script).
    /// </summary>
    private void Draw(XGraphics gfx, string text, XFont font, XBrush brush, double x, double y) =>
        gfx.DrawString(text, NeedsUnicode(text) ? _fonts.UnicodeOf(font) : font, brush, x, y);

    private void Draw(XGraphics gfx, string text, XFont font, XBrush brush, XPoint at, XStringFormat format) =>
        gfx.DrawString(text, NeedsUnicode(text) ? _fonts.UnicodeOf(font) : font, brush, at, format);

    private static bool NeedsUnicode(string text)
    {
        foreach (var c in text)
        {
            if (c is > '\u00ff' or (>= '\u0080' and < '\u00a0'))
                return true;
        }
        return false;
    }

    private List<string> Wrap(string text, XFont font, double width, double size) =>
        TextWrap.Lines(_gfx!, text, font, width, size);

    private void EnsurePage()
    {
        if (_page is null)
            NewPage();
    }

    private bool EnsureSpace(double height)
    {
        EnsurePage();
        if (_y + height <= Bottom)
            return false;
        NewPage();
        return true;
    }

    private void NewPage()
    {
        FinishPage();
        _page = _pdf.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _gfx = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    private void FinishPage()
    {
        if (_page is null || _gfx is null)
            return;
        _gfx.Dispose();
        _gfx = null;
    }

    /// <summary>Each typeface is created once per document, in a WinAnsi and a Unicode variant, and reused for every string drawn.</summary>
    private sealed class Fonts
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private readonly Dictionary<XFont, XFont> _unicode = new(ReferenceEqualityComparer.Instance);

        public Fonts()
        {
            Title = Pair(22, XFontStyleEx.Bold);
            Subtitle = Pair(12, XFontStyleEx.Regular);
            Heading = Pair(16, XFontStyleEx.Bold);
            SubHeading = Pair(11, XFontStyleEx.Bold);
            Body = Pair(9.5, XFontStyleEx.Regular);
            Bold = Pair(9.5, XFontStyleEx.Bold);
            Small = Pair(7.5, XFontStyleEx.Regular);
            SmallBold = Pair(7.5, XFontStyleEx.Bold);
            Mono = Pair(7, XFontStyleEx.Regular, EvidenceFonts.MonoFamily);
        }

        public XFont Title { get; }
        public XFont Subtitle { get; }
        public XFont Heading { get; }
        public XFont SubHeading { get; }
        public XFont Body { get; }
        public XFont Bold { get; }
        public XFont Small { get; }
        public XFont SmallBold { get; }
        public XFont Mono { get; }

        public XFont UnicodeOf(XFont font) => _unicode[font];

        private XFont Pair(double size, XFontStyleEx style, string family = EvidenceFonts.Family)
        {
            var ansi = new XFont(family, size, style);
            _unicode[ansi] = new XFont(family, size, style, Unicode);
            return ansi;
        }
    }

    /// <summary>Rows laid out in fixed-width columns; a row that does not fit starts a new page under a repeated header.</summary>
    private sealed class PdfTable : IEvidenceTable
    {
        private const double LineHeight = 9.5;
        private readonly PdfEvidenceDocument _doc;
        private readonly IReadOnlyList<EvidenceColumn> _columns;
        private readonly double[] _widths;

        public PdfTable(PdfEvidenceDocument doc, IReadOnlyList<EvidenceColumn> columns)
        {
            _doc = doc;
            _columns = columns;
            var total = columns.Sum(c => c.Width);
            _widths = columns.Select(c => doc.Width * c.Width / total).ToArray();
            doc.EnsureSpace(LineHeight * 4);
            DrawHeader();
        }

        public void Row(params string[] cells)
        {
            ArgumentNullException.ThrowIfNull(cells);
            var maxLines = (int)((_doc.Bottom - Margin - 30) / LineHeight);
            var lines = new List<string>[_columns.Count];
            var height = 0;
            for (var i = 0; i < _columns.Count; i++)
            {
                var font = _columns[i].Mono ? _doc._fonts.Mono : _doc._fonts.Small;
                var glyph = _columns[i].Mono ? 0.61 * font.Size : font.Size;
                var text = i < cells.Length ? cells[i] ?? string.Empty : string.Empty;
                lines[i] = TextWrap.Lines(_doc._gfx!, text, font, _widths[i] - 2 * CellPadding, glyph);
                if (lines[i].Count > maxLines)
                    lines[i] = [.. lines[i].Take(maxLines - 1), "…"];
                height = Math.Max(height, lines[i].Count);
            }
            var rowHeight = height * LineHeight + 2 * CellPadding;
            if (_doc.EnsureSpace(rowHeight))
                DrawHeader();
            var gfx = _doc._gfx!;
            var x = Margin;
            for (var i = 0; i < _columns.Count; i++)
            {
                var font = _columns[i].Mono ? _doc._fonts.Mono : _doc._fonts.Small;
                var y = _doc._y + CellPadding + 7;
                foreach (var line in lines[i])
                {
                    if (line.Length > 0)
                        _doc.Draw(gfx, line, font, XBrushes.Black, x + CellPadding, y);
                    y += LineHeight;
                }
                x += _widths[i];
            }
            _doc._y += rowHeight;
            gfx.DrawLine(new XPen(Rule, 0.4), Margin, _doc._y, Margin + _doc.Width, _doc._y);
        }

        private void DrawHeader()
        {
            var gfx = _doc._gfx!;
            var headers = _columns.Select((c, i) => TextWrap.Lines(gfx, c.Header, _doc._fonts.SmallBold, _widths[i] - 2 * CellPadding, 7.5)).ToList();
            var height = headers.Max(h => h.Count) * LineHeight + 2 * CellPadding + 2;
            gfx.DrawRectangle(new XSolidBrush(HeaderFill), Margin, _doc._y, _doc.Width, height);
            var x = Margin;
            for (var i = 0; i < _columns.Count; i++)
            {
                var y = _doc._y + CellPadding + 8;
                foreach (var line in headers[i])
                {
                    _doc.Draw(gfx, line, _doc._fonts.SmallBold, new XSolidBrush(Ink), x + CellPadding, y);
                    y += LineHeight;
                }
                x += _widths[i];
            }
            _doc._y += height;
        }
    }
}
