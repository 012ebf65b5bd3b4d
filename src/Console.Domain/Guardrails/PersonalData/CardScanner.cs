using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>Payment card numbers: 13–19 digits, single spaces, dashes or dots between groups, an issuer prefix and a valid Luhn digit.</summary>
public sealed partial class CardScanner : IScanner
{
    public string Name => "card";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.LongestNumber < 13)
            return;
        Span<char> digits = stackalloc char[19];
        foreach (var match in PatternMatches.In(Pattern(), text, findings, Name))
        {
            var count = 0;
            foreach (var c in match.ValueSpan)
            {
                if (char.IsAsciiDigit(c))
                    digits[count++] = c;
            }
            var number = digits[..count];
            if (Luhn.HasCardIssuerPrefix(number) && Luhn.IsValid(number))
                findings.Add(text.Finding(FindingKinds.Card, 0.95, Excerpts.LastDigits(match.Value, 4), match.Index, match.Length, Name));
        }
    }

    [GeneratedRegex(@"(?<![\w.-])\d(?:[ .-]?\d){12,18}(?!\w|[.-]\d)",
                    RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();
}
