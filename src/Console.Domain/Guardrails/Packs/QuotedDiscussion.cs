namespace Warden.Domain.Guardrails.Packs;

/// <summary>
/// An injection phrase inside quotes, introduced by words that discuss it ("the article explains how
/// attackers write '…'"), is probably talk about injection rather than an injection. Quoting alone does
/// not lower confidence much: a quoted instruction inside a document is the classic indirect injection.
/// </summary>
public static class QuotedDiscussion
{
    public const double QuotedAndDiscussed = 0.4;
    public const double QuotedOnly = 0.9;
    public const double DiscussedOnly = 0.8;

    private const int Window = 100;
    private static readonly string[] Cues =
    [
        "article", "explain", "example", "such as", "phrase", "attacker", "detect", "classifier", "paper", "research",
        "e.g.", "for instance", "known as", "called", "string", "blog", "training", "warn", "lesson", "slide", "talk about",
        "discuss", "quote",
    ];

    public static double Adjust(string text, int start, int length, double confidence)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = IsQuoted(text, start, length);
        var from = Math.Max(0, start - Window);
        var before = text.AsSpan(from, start - from);
        var discussed = false;
        foreach (var cue in Cues)
        {
            if (before.Contains(cue, StringComparison.OrdinalIgnoreCase))
            {
                discussed = true;
                break;
            }
        }
        return Math.Round(confidence * (quoted && discussed ? QuotedAndDiscussed : quoted ? QuotedOnly : discussed ? DiscussedOnly : 1.0), 3);
    }

    private static bool IsQuoted(string text, int start, int length)
    {
        var open = -1;
        for (var i = start - 1; i >= Math.Max(0, start - Window); i--)
        {
            if (text[i] is '\n' or '.' or '!' or '?' && i < start - 2)
                break;
            if (IsOpeningQuote(text, i))
            {
                open = i;
                break;
            }
        }
        if (open < 0)
            return false;
        var end = start + length;
        for (var i = end; i < Math.Min(text.Length, end + Window * 2); i++)
        {
            if (text[i] is '"' or '”' or '’' or '»' or '\'' && (i + 1 == text.Length || !char.IsLetter(text[i + 1])))
                return true;
            if (text[i] == '\n')
                return false;
        }
        return false;
    }

    private static bool IsOpeningQuote(string text, int i) =>
        text[i] is '"' or '“' or '‘' or '«' || (text[i] == '\'' && (i == 0 || !char.IsLetter(text[i - 1])));
}
