using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Warden.Domain.Audit;

namespace Warden.Features.AuditLog.Stream;

/// <summary>
/// Audit events as syslog messages (RFC 5424) framed for TCP by octet counting (RFC 6587 section
/// 3.4.1, the framing RFC 5425 requires over TLS), with a JSON or CEF payload.
/// </summary>
public static class AuditSyslog
{
    private const int Informational = 6;
    private const int Notice = 5;
    private const int Warning = 4;

    private static readonly string Host = Printable(Environment.MachineName, 255);
    private static readonly string ProcessId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The framed message: its length in bytes, a space, the message.</summary>
    public static byte[] Frame(AuditEvent e, AuditStreamFormat format, int facility)
    {
        var message = Encoding.UTF8.GetBytes(Message(e, format, facility));
        var prefix = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. prefix, .. message];
    }

    public static string Message(AuditEvent e, AuditStreamFormat format, int facility)
    {
        ArgumentNullException.ThrowIfNull(e);
        var priority = facility * 8 + Severity(e.Kind);
        var payload = format == AuditStreamFormat.Cef ? Cef(e) : Json(e);
        return string.Create(CultureInfo.InvariantCulture,
            $"<{priority}>1 {e.At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ} {Host} warden {ProcessId} {Printable(e.Kind, 32)} - {payload}");
    }

    /// <summary>Stops and things that need a person are warnings; refusals and changes notices; the rest information.</summary>
    public static int Severity(string kind) => kind switch
    {
        _ when kind.StartsWith("containment.", StringComparison.Ordinal) || kind.StartsWith("integrity.", StringComparison.Ordinal)
               || kind.Contains("tamper", StringComparison.Ordinal) || kind.Contains("demot", StringComparison.Ordinal) => Warning,
        _ when kind.StartsWith("decision.", StringComparison.Ordinal) || kind.StartsWith("token.", StringComparison.Ordinal) => Informational,
        _ => Notice,
    };

    public static string Json(AuditEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", e.Sequence);
            writer.WriteString("at", e.At);
            writer.WriteStartObject("actor");
            writer.WriteString("kind", e.ActorKind.ToString().ToLowerInvariant());
            writer.WriteString("id", e.ActorId);
            writer.WriteString("name", e.ActorName);
            writer.WriteEndObject();
            writer.WriteString("kind", e.Kind);
            writer.WriteString("subject", e.Subject);
            writer.WritePropertyName("data");
            if (IsJson(e.Data))
                writer.WriteRawValue(e.Data);
            else
                writer.WriteStringValue(e.Data);
            writer.WriteString("hash", e.Hash);
            writer.WriteString("previousHash", e.PreviousHash);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Cef(AuditEvent e)
    {
        var severity = Severity(e.Kind) switch { Warning => 7, Notice => 5, _ => 3 };
        var header = string.Join('|', "CEF:0", "Warden", "Warden", "1", Header(e.Kind), Header(e.Kind), severity.ToString(CultureInfo.InvariantCulture));
        var extension = string.Join(' ',
            $"rt={e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}",
            $"externalId={e.Sequence.ToString(CultureInfo.InvariantCulture)}",
            $"suser={Extension(e.ActorName)}",
            $"suid={Extension(e.ActorId ?? string.Empty)}",
            $"cs1Label=subject cs1={Extension(e.Subject)}",
            $"cs2Label=hash cs2={Extension(e.Hash)}",
            $"msg={Extension(e.Data)}");
        return header + "|" + extension;
    }

    /// <summary>CEF header fields escape backslashes and pipes.</summary>
    public static string Header(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>CEF extension values escape backslashes, equals signs and line breaks.</summary>
    public static string Extension(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("=", "\\=", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A header field of RFC 5424: printable US-ASCII without spaces, at most <paramref name="max"/> characters, "-" when empty.</summary>
    private static string Printable(string value, int max)
    {
        var chars = value.Where(c => c is > ' ' and <= '~').Take(max).ToArray();
        return chars.Length == 0 ? "-" : new string(chars);
    }

    private static bool IsJson(string data)
    {
        if (string.IsNullOrEmpty(data) || data[0] is not ('{' or '['))
            return false;
        try
        {
            using var _ = JsonDocument.Parse(data);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
