using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Warden.Features.Evidence.Rendering;

/// <summary>Each typeface is created once per document, in a WinAnsi and a Unicode variant, and reused for every string drawn.</summary>
internal sealed class PdfFonts
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private readonly Dictionary<XFont, XFont> _unicode = new(ReferenceEqualityComparer.Instance);

    public PdfFonts()
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
