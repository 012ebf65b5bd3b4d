namespace Warden.Domain.Guardrails;

/// <summary>Excerpts that show the shape of a value (its type, a well-known prefix, its length) and never the value.</summary>
public static class Excerpts
{
    public const int MaxPhraseLength = 60;

    /// <summary>Keeps a public prefix (such as <c>AKIA</c> or <c>ghp_</c>) and the length.</summary>
    public static string Prefixed(string value, int keep)
    {
        ArgumentNullException.ThrowIfNull(value);
        keep = Math.Clamp(keep, 0, value.Length / 3);
        return $"{value[..keep]}… ({value.Length} chars)";
    }

    /// <summary>Keeps the last <paramref name="keep"/> digits, e.g. <c>•••• 1111</c> for a card.</summary>
    public static string LastDigits(string value, int keep)
    {
        ArgumentNullException.ThrowIfNull(value);
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        keep = Math.Min(keep, digits.Length / 4);
        return keep == 0 ? $"({digits.Length} digits)" : $"•••• {digits[^keep..]} ({digits.Length} digits)";
    }

    public static string Email(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.LastIndexOf('@');
        return at <= 0 ? "•••" : $"{value[0]}•••{value[at..]}";
    }

    /// <summary>An injection phrase is not personal data: it is shown (shortened) so an officer sees what matched.</summary>
    public static string Phrase(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var flat = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= MaxPhraseLength ? flat : flat[..(MaxPhraseLength - 1)] + "…";
    }
}
