using System.Security.Cryptography;
using System.Text.Json;

namespace Warden.Client;

/// <summary>
/// The digest Warden binds a decision and its grant to: lower-case hex SHA-256 of a canonical form of
/// the ask (object keys sorted ordinally, no insignificant whitespace). It matches the console's own
/// computation byte for byte, so a tool can check that the call it is about to run is the one decided.
/// </summary>
public static class RequestDigest
{
    public static string Of(WardenAsk ask)
    {
        ArgumentNullException.ThrowIfNull(ask);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tool", ask.Tool);
            writer.WriteString("operation", ask.Operation?.ToLowerInvariant());
            writer.WriteString("resource", ask.Resource);
            writer.WritePropertyName("parameters");
            if (ask.Parameters is { } parameters)
                WriteCanonical(writer, parameters);
            else
                writer.WriteNullValue();
            writer.WriteNumber("records", ask.Impact?.Records ?? 0);
            writer.WriteNumber("amount", ask.Impact?.Amount ?? 0m);
            writer.WriteString("currency", ask.Impact?.Currency?.ToUpperInvariant());
            writer.WriteString("justification", ask.Justification);
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
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
}
