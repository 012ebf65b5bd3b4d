using System.Globalization;

namespace Warden.Domain.Guardrails.Injection;

/// <summary>
/// Characters that hide text from a reader but not from a model: Unicode tag characters
/// (U+E0000–E007F), bidirectional embeddings and isolates (U+202A–202E, U+2066–2069) and zero-width
/// characters. A zero-width joiner or non-joiner between non-ASCII characters (emoji sequences,
/// Persian or Indic words) is ordinary text.
/// </summary>
public sealed class HiddenTextScanner : IScanner
{
    public string Name => "hidden-text";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.HasNonAscii)
            return;
        var value = text.Value;
        int tags = 0, bidi = 0, zeroWidth = 0, first = -1, last = -1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var hidden = true;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.ConvertToUtf32(c, value[i + 1]) is >= 0xE0000 and <= 0xE007F)
                tags++;
            else if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
                bidi++;
            else if (c is '\u200B' or '\u2060' or '\u180E' || (c == '\uFEFF' && i > 0) || (c is '\u200C' or '\u200D' && !BetweenNonAscii(value, i)))
                zeroWidth++;
            else
                hidden = false;
            if (!hidden)
                continue;
            first = first < 0 ? i : first;
            last = i;
        }
        if (tags + bidi + zeroWidth == 0)
            return;
        var confidence = tags > 0 ? 0.95 : bidi > 0 ? 0.85 : zeroWidth >= 2 ? 0.8 : 0.6;
        var excerpt = string.Create(CultureInfo.InvariantCulture, $"{tags} tag, {bidi} bidi control, {zeroWidth} zero-width characters");
        findings.Add(text.Finding(FindingKinds.HiddenText, confidence, excerpt, first, last - first + 1, Name));
    }

    private static bool BetweenNonAscii(string value, int i) =>
        i > 0 && i + 1 < value.Length && value[i - 1] > '\u007f' && value[i + 1] > '\u007f';
}
