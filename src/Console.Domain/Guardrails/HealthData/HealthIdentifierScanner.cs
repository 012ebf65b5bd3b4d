using System.Buffers;
using System.Text.RegularExpressions;
using Warden.Domain.Guardrails.PersonalData;

namespace Warden.Domain.Guardrails.HealthData;

/// <summary>
/// Identifiers that tie a text to a patient or a prescriber (protected health information): medical
/// record numbers and health plan member numbers written with their label or in a field named like
/// one, National Provider Identifiers (check digit over the 80840 prefix) and DEA registration
/// numbers (their own check digit). A bare number is not enough: hospital numbering has no check
/// digit, so without a label an MRN cannot be told from an order number.
/// </summary>
public sealed partial class HealthIdentifierScanner : IScanner
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // The words a labelled identifier needs; a text without any of them skips the label patterns.
    private static readonly SearchValues<string> RecordWords =
        SearchValues.Create(["mrn", "record", "patient", "chart"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> PlanWords =
        SearchValues.Create(["member", "subscriber", "beneficiar", "medicare", "medicaid", "plan", "insurance"], StringComparison.OrdinalIgnoreCase);

    public string Name => "phi";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        if (text.Digits < 5)
            return;
        var field = text.IsPropertyName ? null : text.FieldName;
        if (field is not null && MrnField().IsMatch(field) && WholeIdentifier().Match(text.Value) is { Success: true } whole)
            findings.Add(text.Finding(FindingKinds.MedicalRecordNumber, 0.9, Shape(whole.Value), whole.Index, whole.Length, Name));
        else if (text.Value.AsSpan().IndexOfAny(RecordWords) >= 0)
            Labelled(MrnLabel(), FindingKinds.MedicalRecordNumber, 0.9, text, findings);
        if (text.Value.AsSpan().IndexOfAny(PlanWords) >= 0)
            Labelled(PlanLabel(), FindingKinds.HealthPlanId, 0.8, text, findings);
        if (text.Digits >= 10)
            ProviderIds(text, field, findings);
        if (text.Digits >= 7 && text.Uppercase >= 2)
            DeaNumbers(text, field, findings);
    }

    private void Labelled(Regex label, string kind, double confidence, ScanText text, ICollection<Finding> findings)
    {
        foreach (var match in PatternMatches.In(label, text, findings, Name))
        {
            var id = match.Groups["id"];
            if (CountDigits(id.ValueSpan) >= 5)
                findings.Add(text.Finding(kind, confidence, Shape(id.Value), id.Index, id.Length, Name));
        }
    }

    private void ProviderIds(ScanText text, string? field, ICollection<Finding> findings)
    {
        var labelled = (field is not null && NpiField().IsMatch(field)) || NpiWord().IsMatch(text.Value);
        if (!labelled)
            return;
        foreach (var match in PatternMatches.In(TenDigits(), text, findings, Name))
        {
            if (IsProviderId(match.ValueSpan))
                findings.Add(text.Finding(FindingKinds.ProviderId, 0.95, Shape(match.Value), match.Index, match.Length, Name));
        }
    }

    private void DeaNumbers(ScanText text, string? field, ICollection<Finding> findings)
    {
        // Product and part codes share the shape; one in ten passes the check digit by chance.
        if (!((field is not null && DeaField().IsMatch(field)) || DeaWord().IsMatch(text.Value)))
            return;
        foreach (var match in PatternMatches.In(Dea(), text, findings, Name))
        {
            if (IsDeaNumber(match.ValueSpan))
                findings.Add(text.Finding(FindingKinds.DeaNumber, 0.95, Shape(match.Value), match.Index, match.Length, Name));
        }
    }

    /// <summary>Ten digits starting with 1 or 2 whose Luhn check passes with the card issuer prefix 80840 in front.</summary>
    public static bool IsProviderId(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 10 || digits[0] is not ('1' or '2'))
            return false;
        Span<char> prefixed = stackalloc char[15];
        "80840".AsSpan().CopyTo(prefixed);
        digits.CopyTo(prefixed[5..]);
        return Luhn.IsValid(prefixed);
    }

    /// <summary>Two letters, seven digits: the first, third and fifth digits plus twice the second, fourth and sixth end in the seventh.</summary>
    public static bool IsDeaNumber(ReadOnlySpan<char> value)
    {
        if (value.Length != 9)
            return false;
        var d = value[2..];
        var sum = (d[0] - '0') + (d[2] - '0') + (d[4] - '0') + 2 * ((d[1] - '0') + (d[3] - '0') + (d[5] - '0'));
        return sum % 10 == d[6] - '0';
    }

    private static int CountDigits(ReadOnlySpan<char> value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
                count++;
        }
        return count;
    }

    private static string Shape(string value) => value.Length <= 2 ? "••" : value[..1] + new string('•', value.Length - 2) + value[^1..];

    [GeneratedRegex(@"(?i)\b(mrn|medical[\s_-]*record[\s_-]*(number|no\.?|num|#)?|patient[\s_-]*(id|no\.?|number|#)|chart[\s_-]*(no\.?|number|#))\s*(is\s+)?[:#=]?\s*(?<id>[A-Z]{0,3}[-]?\d[\d-]{4,14}\d)\b",
                    Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex MrnLabel();

    [GeneratedRegex(@"(?i)\b(member|subscriber|beneficiary|medicare|medicaid|health[\s_-]*plan|insurance)[\s_-]*(id|no\.?|number|#)\s*(is\s+)?[:#=]?\s*(?<id>[A-Z0-9][A-Z0-9-]{5,18}[A-Z0-9])\b",
                    Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex PlanLabel();

    [GeneratedRegex(@"(?i)^(mrn|medical_?record(_?(number|no|id))?|patient_?(id|number|no)|chart_?(number|no))$", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex MrnField();

    [GeneratedRegex(@"^\s*(?<id>[A-Z]{0,3}-?\d{5,12})\s*$", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex WholeIdentifier();

    [GeneratedRegex(@"(?i)^(npi|provider_?npi|npi_?number|prescriber_?npi)$", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex NpiField();

    [GeneratedRegex(@"\bNPI\b|(?i)\bnational provider identifier\b", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex NpiWord();

    [GeneratedRegex(@"(?<![\w-])\d{10}(?![\w-])", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex TenDigits();

    [GeneratedRegex(@"(?i)^(dea|dea_?(number|no)|prescriber_?dea)$", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex DeaField();

    [GeneratedRegex(@"\bDEA\b", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex DeaWord();

    [GeneratedRegex(@"(?<![\w-])[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}(?![\w-])", Options, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Dea();
}
