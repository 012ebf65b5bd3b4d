using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Features.Decisions;

/// <summary>
/// SHA-256 over a canonical form of what the agent asked: properties sorted, no insignificant
/// whitespace. Two bodies that mean the same thing share a digest; anything else does not.
/// </summary>
public static class RequestDigest
{
    public static string Of(DecisionRequestBody body)
    {
        var buffer = new ArrayBufferWriterStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tool", body.Tool);
            writer.WriteString("operation", body.Operation?.ToLowerInvariant());
            writer.WriteString("resource", body.Resource);
            writer.WritePropertyName("parameters");
            if (body.Parameters is { } parameters)
                WriteCanonical(writer, parameters);
            else
                writer.WriteNullValue();
            writer.WriteNumber("records", body.Impact?.Records ?? 0);
            writer.WriteNumber("amount", body.Impact?.Amount ?? 0m);
            writer.WriteString("currency", body.Impact?.Currency?.ToUpperInvariant());
            writer.WriteString("justification", body.Justification);
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>SHA-256 of the canonical form of one JSON value (an output under review).</summary>
    public static string OfValue(JsonElement element) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Canonical(element))));

    public static string Canonical(JsonElement element)
    {
        var buffer = new ArrayBufferWriterStream();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteCanonical(writer, element);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private sealed class ArrayBufferWriterStream : MemoryStream;
}
