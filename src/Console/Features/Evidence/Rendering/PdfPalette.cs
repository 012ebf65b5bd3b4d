using PdfSharp.Drawing;

namespace Warden.Features.Evidence.Rendering;

internal static class PdfPalette
{
    public static readonly XColor Ink = XColor.FromArgb(33, 37, 41);
    public static readonly XColor Muted = XColor.FromArgb(108, 117, 125);
    public static readonly XColor Accent = XColor.FromArgb(25, 74, 140);
    public static readonly XColor Rule = XColor.FromArgb(206, 212, 218);
    public static readonly XColor HeaderFill = XColor.FromArgb(233, 238, 245);
}
