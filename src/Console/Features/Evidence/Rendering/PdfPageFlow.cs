using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Warden.Features.Evidence.Rendering;

/// <summary>
/// A4 pages filled top to bottom: the page being drawn on, how far down it is, and a new page when
/// what comes next does not fit above the footer.
/// </summary>
internal sealed class PdfPageFlow(PdfDocument pdf) : IDisposable
{
    public const double Margin = 48;
    private const double FooterSpace = 30;

    private XGraphics? _gfx;

    public PdfFonts Fonts { get; } = new();

    public PdfPage? Page { get; private set; }

    public XGraphics Graphics => _gfx!;

    /// <summary>Where the next thing is drawn, in points from the top of the page.</summary>
    public double Y { get; set; }

    public double Width => Page!.Width.Point - 2 * Margin;

    public double Bottom => Page!.Height.Point - Margin - FooterSpace;

    /// <summary>
    /// Draws with the font's WinAnsi variant when every character has a WinAnsi code (one byte per
    /// glyph, the common case) and with its Unicode variant otherwise (two bytes per glyph, any script).
    /// </summary>
    public void Draw(string text, XFont font, XBrush brush, double x, double y) => Draw(_gfx!, text, font, brush, x, y);

    public void Draw(XGraphics gfx, string text, XFont font, XBrush brush, double x, double y) =>
        gfx.DrawString(text, NeedsUnicode(text) ? Fonts.UnicodeOf(font) : font, brush, x, y);

    public void Draw(XGraphics gfx, string text, XFont font, XBrush brush, XPoint at, XStringFormat format) =>
        gfx.DrawString(text, NeedsUnicode(text) ? Fonts.UnicodeOf(font) : font, brush, at, format);

    public List<string> Wrap(string text, XFont font, double width, double size) =>
        TextWrap.Lines(_gfx!, text, font, width, size);

    public void EnsurePage()
    {
        if (Page is null)
            NewPage();
    }

    /// <summary>Starts a new page unless <paramref name="height"/> fits on this one; true when it started one.</summary>
    public bool EnsureSpace(double height)
    {
        EnsurePage();
        if (Y + height <= Bottom)
            return false;
        NewPage();
        return true;
    }

    public void NewPage()
    {
        FinishPage();
        Page = pdf.AddPage();
        Page.Size = PdfSharp.PageSize.A4;
        _gfx = XGraphics.FromPdfPage(Page);
        Y = Margin;
    }

    public void FinishPage()
    {
        if (Page is null || _gfx is null)
            return;
        _gfx.Dispose();
        _gfx = null;
    }

    public void Dispose() => _gfx?.Dispose();

    private static bool NeedsUnicode(string text)
    {
        foreach (var c in text)
        {
            if (c is > '\u00ff' or (>= '\u0080' and < '\u00a0'))
                return true;
        }
        return false;
    }
}
