using System.Buffers;
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
    /// <summary>The digest's length in hex characters.</summary>
    public const int HexLength = SHA256.HashSizeInBytes * 2;

    // A tool computes a digest before each call it runs: each thread reuses its buffer and writer.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Of(WardenAsk ask)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(ask, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The digest as lower-case hex ASCII into <paramref name="destination"/> (<see cref="HexLength"/> bytes), without allocating a string.</summary>
    internal static void WriteHex(WardenAsk ask, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(ask, hash);
        Convert.TryToHexStringLower(hash, destination, out _);
    }

    private static void Hash(WardenAsk ask, Span<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(ask);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        try
        {
            Write(writer, ask);
            writer.Flush();
            SHA256.HashData(buffer.WrittenSpan, hash);
        }
        finally
        {
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, WardenAsk ask)
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

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteSorted(writer, element);
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

    /// <summary>An object's members in ordinal order of their names; members of the same name keep their order (as a stable sort does).</summary>
    private static void WriteSorted(Utf8JsonWriter writer, JsonElement element)
    {
        var count = element.GetPropertyCount();
        var names = ArrayPool<Member>.Shared.Rent(count);
        var values = ArrayPool<JsonElement>.Shared.Rent(count);
        try
        {
            var i = 0;
            var sorted = true;
            foreach (var property in element.EnumerateObject())
            {
                names[i] = new Member(property.Name, i);
                values[i] = property.Value;
                sorted &= i == 0 || string.CompareOrdinal(names[i - 1].Name, names[i].Name) <= 0;
                i++;
            }
            if (!sorted)
                Array.Sort(names, values, 0, count, Member.Order);
            writer.WriteStartObject();
            for (var j = 0; j < count; j++)
            {
                writer.WritePropertyName(names[j].Name);
                WriteCanonical(writer, values[j]);
            }
            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<Member>.Shared.Return(names, clearArray: true);
            ArrayPool<JsonElement>.Shared.Return(values, clearArray: true);
        }
    }

    private readonly record struct Member(string Name, int Position)
    {
        public static readonly IComparer<Member> Order = Comparer<Member>.Create(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : a.Position.CompareTo(b.Position);
        });
    }
}
