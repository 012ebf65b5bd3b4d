using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>
/// Phone numbers in international (<c>+44 20 7946 0958</c>), North American (<c>(415) 555-0132</c>) and
/// trunk-prefixed national (<c>020 7946 0958</c>) formats, and any number in a field named like a phone.
/// Dates, versions, ISBNs and bare digit runs do not match these shapes; a national number introduced
/// as an order, serial or reference number is reported below the usual threshold.
/// </summary>
public sealed partial class PhoneScanner : IScanner
{
    public string Name => "phone";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Digits < 7)
            return;
        if (IsPhoneField(text) && WholeValue().IsMatch(text.Value) && text.Digits is >= 7 and <= 15)
        {
            findings.Add(text.Finding(FindingKinds.Phone, 0.9, Excerpts.LastDigits(text.Value, 2), 0, text.Value.Length, Name));
            return;
        }
        foreach (var match in PatternMatches.In(Pattern(), text, findings, Name))
        {
            var digits = match.Value.Count(char.IsAsciiDigit);
            if (digits is < 8 or > 15)
                continue;
            var confidence = match.Groups["intl"].Success ? 0.9 : match.Groups["nanp"].Success ? 0.85 : 0.75;
            if (!match.Groups["intl"].Success && FollowsIdentifierWord(text.Value, match.Index))
                confidence = 0.4;
            findings.Add(text.Finding(FindingKinds.Phone, confidence, Excerpts.LastDigits(match.Value, 2), match.Index, match.Length, Name));
        }
    }

    // "Serial no. 0123 4567 890", "Order 020 7946 0958": a number named as something else is probably not a phone.
    private static bool FollowsIdentifierWord(string value, int index)
    {
        var from = Math.Max(0, index - 24);
        var before = value.AsSpan(from, index - from);
        return IdentifierWord().IsMatch(before) && !PhoneWord().IsMatch(before);
    }

    private static bool IsPhoneField(ScanText text) =>
        !text.IsPropertyName && text.FieldName is { } name && PhoneField().IsMatch(name);

    [GeneratedRegex(@"(?<![\w+.-])(?<!\d[ -])(?:(?<intl>\+\d{1,3}(?:\d{6,12}|(?:[ .-]?\(\d{1,5}\)\d{0,5}|[ .-]\d{1,6}){1,6}))|(?<nanp>(?:\(\d{3}\)[ ]?|[2-9]\d{2}(?<sep>[ .-]))[2-9]\d{2}(?:\k<sep>|(?<!\d{3}[ .]\d{3})-)\d{4})|(?<national>0[1-9]\d{0,3}[ -]\d{3,4}[ -]?\d{3,4}))(?![\w .-]?\d)(?!\w)",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(?i)\b(serial|order|invoice|ref|reference|id|sku|part|ticket|tracking|account|case|batch|lot)\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex IdentifierWord();

    [GeneratedRegex(@"(?i)phone|\btel\b|call|mobile|fax|whatsapp|sms|text\s+me", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex PhoneWord();

    [GeneratedRegex(@"^\+?[\d\s().-]{7,24}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex WholeValue();

    [GeneratedRegex(@"(?i)(^|[_.-])(phone|tel|telephone|mobile|cell|fax|msisdn)($|[_.-])|phone", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex PhoneField();
}
