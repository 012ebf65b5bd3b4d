using PdfSharp.Drawing;

namespace Warden.Features.Evidence.Rendering;

/// <summary>
/// Breaks text into lines that fit a width: at spaces where it can, inside a word where it must. Text
/// short enough to fit even in the widest glyphs is returned without measuring, which keeps long
/// appendices cheap.
/// </summary>
internal static class TextWrap
{
    public static List<string> Lines(XGraphics gfx, string text, XFont font, double width, double widestGlyph)
    {
        var lines = new List<string>(1);
        foreach (var paragraph in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            if (paragraph.Length * widestGlyph <= width || Fits(gfx, paragraph, font, width))
            {
                lines.Add(paragraph);
                continue;
            }
            var line = string.Empty;
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Fits(gfx, candidate, font, width))
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                    lines.Add(line);
                line = word;
                while (!Fits(gfx, line, font, width) && line.Length > 1)
                {
                    var cut = BreakPoint(line, LongestFittingPrefix(gfx, line, font, width));
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    // Identifiers break best after a separator (agent.registered, agt_demo_support, a/b/c).
    private static int BreakPoint(string text, int cut)
    {
        var separator = text.LastIndexOfAny(['.', '_', '-', '/', ':', '@', ','], cut - 1);
        return separator >= cut / 2 ? separator + 1 : cut;
    }

    private static bool Fits(XGraphics gfx, string text, XFont font, double width) =>
        gfx.MeasureString(text, font).Width <= width;

    private static int LongestFittingPrefix(XGraphics gfx, string text, XFont font, double width)
    {
        var (low, high) = (1, text.Length - 1);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Fits(gfx, text[..middle], font, width))
                low = middle;
            else
                high = middle - 1;
        }
        return low;
    }
}
