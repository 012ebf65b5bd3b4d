using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>IBANs, compact or in groups of four, in either case, that have their country's length and pass mod-97.</summary>
public sealed partial class IbanScanner : IScanner
{
    public string Name => "iban";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Digits < 8 || text.Value.Length < 15 || !text.HasLettersThenDigits)
            return;
        foreach (var match in PatternMatches.In(Pattern(), text, findings, Name))
        {
            // The country fixes the length, so a match that ran on into the next word is cut back to it.
            var country = match.Value[..2].ToUpperInvariant();
            if (Iban.CountryLength(country) is not { } length)
                continue;
            var compact = new System.Text.StringBuilder(length);
            var end = 0;
            while (end < match.Length && compact.Length < length)
            {
                if (match.Value[end] != ' ')
                    compact.Append(char.ToUpperInvariant(match.Value[end]));
                end++;
            }
            var iban = compact.ToString();
            if (Iban.IsValid(iban))
                findings.Add(text.Finding(FindingKinds.Iban, 0.95, $"{country}•• •••• {iban[^4..]} ({iban.Length} chars)", match.Index, end, Name));
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?",
                    RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();
}
