using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Warden.Domain.Audit;

/// <summary>
/// Masks personal data before it is stored or hashed: e-mail addresses keep their first letter and
/// domain, and digit runs that look like card or phone numbers keep their last four digits.
/// </summary>
public static partial class PiiMasker
{
    public static string MaskText(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? string.Empty;
        var masked = Email().Replace(text, m => m.Value[0] + "***@" + m.Groups["domain"].Value);
        return LongNumber().Replace(masked, m => MaskDigits(m.Value));
    }

    /// <summary>Masks every string value (and long number) inside a JSON document; text that is not JSON is masked as text.</summary>
    public static string MaskJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return "{}";
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(MaskText(json));
        }
        return Mask(node)?.ToJsonString() ?? "null";
    }

    // Containers are masked in place; a value is swapped only when masking changed it.
    private static JsonNode? Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var masked = Mask(value);
                    if (!ReferenceEquals(masked, value))
                        obj[key] = masked;
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var masked = Mask(array[i]);
                    if (!ReferenceEquals(masked, array[i]))
                        array[i] = masked;
                }
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var maskedText = MaskText(text);
                return maskedText == text ? value : JsonValue.Create(maskedText);
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var digits = value.ToJsonString();
                var maskedDigits = MaskText(digits);
                return maskedDigits == digits ? value : JsonValue.Create(maskedDigits);
            default:
                return node;
        }
    }

    private static string MaskDigits(string value)
    {
        var total = value.Count(char.IsAsciiDigit);
        var seen = 0;
        return string.Concat(value.Select(c =>
        {
            if (!char.IsAsciiDigit(c))
                return c;
            seen++;
            return seen > total - 4 ? c : '*';
        }));
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@(?<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Email();

    // 9 to 19 digits, optionally after a '+', with single spaces or dashes between groups.
    [GeneratedRegex(@"(?<![\w+-])\+?\d(?:[ -]?\d){8,18}(?![\w])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex LongNumber();
}
