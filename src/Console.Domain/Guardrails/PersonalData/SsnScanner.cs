using System.Globalization;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>US social security numbers written <c>123-45-6789</c> (or with spaces), or nine digits in a field named like one; never-issued numbers are skipped.</summary>
public sealed partial class SsnScanner : IScanner
{
    public string Name => "ssn";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.LongestNumber < 9)
            return;
        var pattern = text.FieldName is { } field && !text.IsPropertyName && SsnField().IsMatch(field) ? InSsnField() : Pattern();
        foreach (var match in PatternMatches.In(pattern, text, findings, Name))
        {
            var area = int.Parse(match.Groups["area"].ValueSpan, CultureInfo.InvariantCulture);
            var group = int.Parse(match.Groups["group"].ValueSpan, CultureInfo.InvariantCulture);
            var serial = int.Parse(match.Groups["serial"].ValueSpan, CultureInfo.InvariantCulture);
            if (SocialSecurityNumber.IsIssuable(area, group, serial))
                findings.Add(text.Finding(FindingKinds.Ssn, 0.9, "•••-••-•••• (9 digits)", match.Index, match.Length, Name));
        }
    }

    [GeneratedRegex(@"(?<![\w-])(?<area>\d{3})(?<sep>[- ])(?<group>\d{2})\k<sep>(?<serial>\d{4})(?![\w-])",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(?<![\w-])(?<area>\d{3})[- ]?(?<group>\d{2})[- ]?(?<serial>\d{4})(?![\w-])",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex InSsnField();

    [GeneratedRegex(@"(?i)(^|[_.-])(ssn|social_?security(_?number)?|tax_?id|tin)($|[_.-])|ssn|socialsecurity", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex SsnField();
}
