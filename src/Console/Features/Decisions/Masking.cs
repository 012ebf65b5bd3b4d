using System.Text.RegularExpressions;

namespace Warden.Features.Decisions;

/// <summary>Masks personal data in text before it is stored or shown: e-mail addresses and long digit runs.</summary>
internal static partial class Masking
{
    public static string Mask(string text)
    {
        var masked = Email().Replace(text, m => m.Value[0] + "***@" + m.Groups["domain"].Value);
        return DigitRun().Replace(masked, m => new string('*', m.Length - 4) + m.Value[^4..]);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@(?<domain>[A-Za-z0-9.-]+\.[A-Za-z]{2,})", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<!\d)(?:\d[ -]?){9,18}\d(?!\d)", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex DigitRun();
}
