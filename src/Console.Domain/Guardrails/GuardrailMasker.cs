using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Domain.Guardrails;

/// <summary>
/// Replaces personal data and secrets with typed placeholders and a short keyed hash, e.g.
/// <c>[email:3f9a1c2b]</c>: the same value under the same key always gives the same placeholder, so
/// records can be correlated without revealing it. A value too long to scan whole is replaced
/// entirely (<c>[unchecked:N chars]</c>). Pure given the key.
/// </summary>
public sealed class GuardrailMasker
{
    public const int HashHexLength = 8;
    private readonly byte[] _key;
    private readonly GuardrailScanner _scanner;

    public GuardrailMasker(ReadOnlySpan<byte> key, GuardrailScanner? scanner = null)
    {
        if (key.Length < 16)
            throw new ArgumentException("The masking key needs at least 16 bytes.", nameof(key));
        _key = key.ToArray();
        _scanner = scanner ?? GuardrailScanner.Default;
    }

    public string MaskText(string text, string? fieldName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Apply(text, _scanner.Scan(text, "$", fieldName));
    }

    /// <summary>Masks every string value and property name of a JSON document; numbers that hold personal data become strings.</summary>
    public string MaskJson(JsonElement document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, document, fieldName: null);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Masks <paramref name="document"/> with <paramref name="findings"/> from <see cref="GuardrailScanner.Scan(JsonElement)"/>
    /// of that same document, placing each finding by its JSON path instead of scanning again. When
    /// the scan did not read everything, each value is scanned (and if need be replaced) on its own.
    /// </summary>
    public string MaskJson(JsonElement document, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Any(LeftUnread))
            return MaskJson(document);
        var spans = findings.Where(f => f.Family is FindingKinds.PiiFamily or FindingKinds.PhiFamily or FindingKinds.SecretFamily && f.Length > 0).ToList();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (spans.Count == 0)
                WriteUnmasked(writer, document);
            else
                Write(writer, document, "$", spans);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The placeholder for one value of one kind, e.g. <c>[card:1c0d9e2a]</c>.</summary>
    public string Placeholder(string kind, string value)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(value);
        var type = kind[(kind.LastIndexOfAny([':', '.']) + 1)..];
        var hash = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(Normalize(kind, value)));
        return $"[{type}:{Convert.ToHexStringLower(hash)[..HashHexLength]}]";
    }

    /// <summary>
    /// A scan that did not read all of its text (truncated, a pattern out of time, a scanner fault)
    /// cannot say where the personal data is: such a text is never stored as it is.
    /// </summary>
    private static bool LeftUnread(Finding finding) =>
        finding.Kind is FindingKinds.InputTruncated or FindingKinds.ScanTimeout or FindingKinds.ScannerFailed;

    /// <summary>Replaces the spans of the personal-data and secret findings in <paramref name="text"/>.</summary>
    public string Apply(string text, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        var list = findings.ToList();
        if (list.Exists(LeftUnread))
            return string.Create(CultureInfo.InvariantCulture, $"[unchecked:{text.Length} chars]");
        var spans = list
            .Where(f => f.Family is FindingKinds.PiiFamily or FindingKinds.PhiFamily or FindingKinds.SecretFamily && f.Length > 0 && f.Start + f.Length <= text.Length)
            .OrderBy(f => f.Start).ThenByDescending(f => f.Length)
            .ToList();
        if (spans.Count == 0)
            return text;
        var masked = new StringBuilder(text.Length);
        var position = 0;
        foreach (var span in spans)
        {
            if (span.Start < position)
            {
                if (span.Start + span.Length > position)
                    position = span.Start + span.Length;
                continue;
            }
            masked.Append(text, position, span.Start - position);
            masked.Append(Placeholder(span.Kind, text.Substring(span.Start, span.Length)));
            position = span.Start + span.Length;
        }
        return masked.Append(text, position, text.Length - position).ToString();
    }

    private void Write(Utf8JsonWriter writer, JsonElement element, string? fieldName)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(JsonPaths.WorthScanning(property.Name)
                        ? Apply(property.Name, _scanner.Scan(property.Name, "$", property.Name, isPropertyName: true))
                        : property.Name);
                    Write(writer, property.Value, property.Name);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    Write(writer, item, fieldName);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(MaskText(element.GetString() ?? string.Empty, fieldName));
                break;
            case JsonValueKind.Number when element.GetRawText() is var raw && MaskText(raw, fieldName) is var masked && masked != raw:
                writer.WriteStringValue(masked);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    // Paths are only built down branches that hold a finding; everything else is copied as the full
    // re-scan would write it when it found nothing.
    private void Write(Utf8JsonWriter writer, JsonElement element, string path, List<Finding> spans)
    {
        if (!spans.Exists(f => f.Location.StartsWith(path, StringComparison.Ordinal)))
        {
            WriteUnmasked(writer, element);
            return;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var index = 0;
                foreach (var property in element.EnumerateObject())
                {
                    var child = path + JsonPaths.Segment(property.Name, index++);
                    writer.WritePropertyName(Mask(property.Name, child, inPropertyName: true, spans));
                    Write(writer, property.Value, child, spans);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Write(writer, item, path + "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]", spans);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Mask(element.GetString() ?? string.Empty, path, inPropertyName: false, spans));
                break;
            case JsonValueKind.Number when spans.Exists(f => f.Location == path && !f.InPropertyName):
                writer.WriteStringValue(Mask(element.GetRawText(), path, inPropertyName: false, spans));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private string Mask(string text, string location, bool inPropertyName, List<Finding> spans)
    {
        var here = spans.FindAll(f => f.InPropertyName == inPropertyName && f.Location == location);
        return here.Count == 0 ? text : Apply(text, here);
    }

    private static void WriteUnmasked(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    WriteUnmasked(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteUnmasked(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string Normalize(string kind, string value) => kind switch
    {
        FindingKinds.Email => value.Trim().ToLowerInvariant(),
        FindingKinds.Card or FindingKinds.Iban or FindingKinds.Phone or FindingKinds.Ssn =>
            new string(value.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray()),
        _ => value,
    };
}
