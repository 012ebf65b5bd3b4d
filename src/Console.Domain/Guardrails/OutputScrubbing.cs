using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Warden.Domain.Policies;

namespace Warden.Domain.Guardrails;

/// <summary>How many values of one finding kind an output had masked.</summary>
public sealed record MaskedKind(string Kind, int Count);

/// <summary>
/// What is released of an output: <see cref="Text"/> exactly (the string itself for a text output,
/// the JSON Warden wrote for any other), the same as JSON in <see cref="Output"/>, what was masked,
/// and the SHA-256 digest (lowercase hex) of <see cref="Text"/> in UTF-8.
/// </summary>
public sealed record ScrubbedOutput(string Text, JsonElement Output, IReadOnlyList<MaskedKind> Masked, string Digest);

/// <summary>An output that cannot be released clean: a value to mask that cannot be placed, or one still present after masking.</summary>
public sealed class OutputScrubException(string message) : Exception(message);

/// <summary>
/// Masks in an output the findings that the matching mask rules count, and checks that none of the
/// masked values is still anywhere in what would be released (a structured copy of a text included).
/// Pure given the masker's key. Faults throw: the caller withholds the output, never releases it as it was.
/// </summary>
public static class OutputScrubbing
{
    /// <summary>The findings <paramref name="rules"/> count that carry a value to mask (the derived <c>pii.outbound</c> names a destination, not a value).</summary>
    /// <exception cref="OutputScrubException">A counted finding has no position in the output (a hosted detector's), so it cannot be masked.</exception>
    public static IReadOnlyList<Finding> ToMask(IReadOnlyList<Finding> findings, IReadOnlyList<PolicyRule>? rules)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (rules is not { Count: > 0 })
            return [];
        var masked = new List<Finding>();
        foreach (var finding in findings)
        {
            if (finding.Kind == FindingKinds.Outbound || !Counted(finding, rules))
                continue;
            if (finding.Length <= 0 || finding.Family is not (FindingKinds.PiiFamily or FindingKinds.PhiFamily or FindingKinds.SecretFamily))
                throw new OutputScrubException($"A {finding.Kind} finding at {finding.Location} has no position in the output, so it cannot be masked.");
            masked.Add(finding);
        }
        return masked;
    }

    /// <param name="wrapped">The reviewed document, <c>{"output": …}</c>, that the findings were located in.</param>
    public static ScrubbedOutput Scrub(GuardrailMasker masker, JsonElement wrapped, IReadOnlyList<Finding> toMask)
    {
        ArgumentNullException.ThrowIfNull(masker);
        ArgumentNullException.ThrowIfNull(toMask);
        JsonElement output;
        if (toMask.Count == 0)
        {
            output = wrapped.GetProperty("output");
        }
        else
        {
            using var masked = JsonDocument.Parse(masker.MaskJson(wrapped, toMask));
            output = masked.RootElement.GetProperty("output").Clone();
            var values = MaskedValues(wrapped, toMask);
            if (Leaks(output, values) is { } leaked)
                throw new OutputScrubException($"A masked {leaked} value is still present elsewhere in the output, so it is withheld.");
        }
        var text = output.ValueKind == JsonValueKind.String ? output.GetString()! : output.GetRawText();
        var counts = toMask.GroupBy(f => f.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MaskedKind(g.Key, g.Count())).ToList();
        return new ScrubbedOutput(text, output, counts, DigestOf(text));
    }

    /// <summary>The SHA-256 of <paramref name="text"/> in UTF-8, as 64 lowercase hex digits.</summary>
    public static string DigestOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static bool Counted(Finding finding, IReadOnlyList<PolicyRule> rules)
    {
        var guardrail = finding.ToGuardrailFinding();
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Match.Counts(guardrail))
                return true;
        }
        return false;
    }

    // The values as they were, found by walking the document the way the scanner named its paths.
    private static List<(string Kind, string Value)> MaskedValues(JsonElement wrapped, IReadOnlyList<Finding> toMask)
    {
        var values = new List<(string, string)>();
        Collect(wrapped, "$", toMask, values);
        return values;
    }

    private static void Collect(JsonElement element, string path, IReadOnlyList<Finding> toMask, List<(string, string)> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    var child = path + JsonPaths.Segment(property.Name, index++);
                    Take(property.Name, child, inPropertyName: true, toMask, values);
                    Collect(property.Value, child, toMask, values);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Collect(item, path + "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]", toMask, values);
                break;
            case JsonValueKind.String:
                Take(element.GetString()!, path, inPropertyName: false, toMask, values);
                break;
            case JsonValueKind.Number:
                Take(element.GetRawText(), path, inPropertyName: false, toMask, values);
                break;
        }
    }

    private static void Take(string text, string path, bool inPropertyName, IReadOnlyList<Finding> toMask, List<(string, string)> values)
    {
        foreach (var finding in toMask)
        {
            if (finding.Location == path && finding.InPropertyName == inPropertyName && finding.Start + finding.Length <= text.Length)
                values.Add((finding.Kind, text.Substring(finding.Start, finding.Length)));
        }
    }

    /// <summary>The kind of a masked value still found in <paramref name="output"/>, as written or (cards, IBANs, phones, SSNs) in other spacing; null when none is.</summary>
    private static string? Leaks(JsonElement output, List<(string Kind, string Value)> values)
    {
        var texts = new List<string>();
        Texts(output, texts);
        foreach (var (kind, value) in values)
        {
            var digits = kind is FindingKinds.Card or FindingKinds.Iban or FindingKinds.Phone or FindingKinds.Ssn ? Normalized(value) : string.Empty;
            foreach (var text in texts)
            {
                if (text.Contains(value, StringComparison.OrdinalIgnoreCase) || (digits.Length >= 8 && Normalized(text).Contains(digits, StringComparison.Ordinal)))
                    return kind;
            }
        }
        return null;
    }

    private static void Texts(JsonElement element, List<string> texts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    texts.Add(property.Name);
                    Texts(property.Value, texts);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Texts(item, texts);
                break;
            case JsonValueKind.String:
                texts.Add(element.GetString()!);
                break;
            case JsonValueKind.Number:
                texts.Add(element.GetRawText());
                break;
        }
    }

    // Letters and digits only, upper case: a card or IBAN written with other spacing is the same value.
    private static string Normalized(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
                builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }
}
