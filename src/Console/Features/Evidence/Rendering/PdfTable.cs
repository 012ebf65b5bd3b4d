using PdfSharp.Drawing;

namespace Warden.Features.Evidence.Rendering;

/// <summary>Rows laid out in fixed-width columns; a row that does not fit starts a new page under a repeated header.</summary>
internal sealed class PdfTable : IEvidenceTable
{
    private const double Margin = PdfPageFlow.Margin;
    private const double LineHeight = 9.5;
    private const double CellPadding = 2.5;
    private readonly PdfPageFlow _flow;
    private readonly IReadOnlyList<EvidenceColumn> _columns;
    private readonly double[] _widths;

    public PdfTable(PdfPageFlow flow, IReadOnlyList<EvidenceColumn> columns)
    {
        _flow = flow;
        _columns = columns;
        var total = columns.Sum(c => c.Width);
        _widths = columns.Select(c => flow.Width * c.Width / total).ToArray();
        flow.EnsureSpace(LineHeight * 4);
        DrawHeader();
    }

    public void Row(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var maxLines = (int)((_flow.Bottom - Margin - 30) / LineHeight);
        var lines = new List<string>[_columns.Count];
        var height = 0;
        for (var i = 0; i < _columns.Count; i++)
        {
            var font = _columns[i].Mono ? _flow.Fonts.Mono : _flow.Fonts.Small;
            var glyph = _columns[i].Mono ? 0.61 * font.Size : font.Size;
            var text = i < cells.Length ? cells[i] ?? string.Empty : string.Empty;
            lines[i] = TextWrap.Lines(_flow.Graphics, text, font, _widths[i] - 2 * CellPadding, glyph);
            if (lines[i].Count > maxLines)
                lines[i] = [.. lines[i].Take(maxLines - 1), "…"];
            height = Math.Max(height, lines[i].Count);
        }
        var rowHeight = height * LineHeight + 2 * CellPadding;
        if (_flow.EnsureSpace(rowHeight))
            DrawHeader();
        var gfx = _flow.Graphics;
        var x = Margin;
        for (var i = 0; i < _columns.Count; i++)
        {
            var font = _columns[i].Mono ? _flow.Fonts.Mono : _flow.Fonts.Small;
            var y = _flow.Y + CellPadding + 7;
            foreach (var line in lines[i])
            {
                if (line.Length > 0)
                    _flow.Draw(gfx, line, font, XBrushes.Black, x + CellPadding, y);
                y += LineHeight;
            }
            x += _widths[i];
        }
        _flow.Y += rowHeight;
        gfx.DrawLine(new XPen(PdfPalette.Rule, 0.4), Margin, _flow.Y, Margin + _flow.Width, _flow.Y);
    }

    private void DrawHeader()
    {
        var gfx = _flow.Graphics;
        var headers = _columns.Select((c, i) => TextWrap.Lines(gfx, c.Header, _flow.Fonts.SmallBold, _widths[i] - 2 * CellPadding, 7.5)).ToList();
        var height = headers.Max(h => h.Count) * LineHeight + 2 * CellPadding + 2;
        gfx.DrawRectangle(new XSolidBrush(PdfPalette.HeaderFill), Margin, _flow.Y, _flow.Width, height);
        var x = Margin;
        for (var i = 0; i < _columns.Count; i++)
        {
            var y = _flow.Y + CellPadding + 8;
            foreach (var line in headers[i])
            {
                _flow.Draw(gfx, line, _flow.Fonts.SmallBold, new XSolidBrush(PdfPalette.Ink), x + CellPadding, y);
                y += LineHeight;
            }
            x += _widths[i];
        }
        _flow.Y += height;
    }
}
