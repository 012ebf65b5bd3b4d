using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Warden.Domain.Audit;

/// <summary>
/// The canonical encoding and hash of an event. Each field is written as a 4-byte big-endian length
/// and its UTF-8 bytes (a null as length -1), after a version tag, so no two different events encode
/// alike. Times are UTC ticks truncated to whole microseconds, the finest precision every store keeps.
/// </summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string Version = "warden-audit-v1";

    public static string HashOf(string previousHash, AuditFields fields)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encode(previousHash, fields)));
    }

    public static byte[] Encode(string previousHash, AuditFields fields)
    {
        using var buffer = new MemoryStream(256);
        Write(buffer, Version);
        Write(buffer, fields.Sequence.ToString(CultureInfo.InvariantCulture));
        Write(buffer, fields.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Write(buffer, fields.ActorKind.ToString());
        Write(buffer, fields.ActorId);
        Write(buffer, fields.ActorName);
        Write(buffer, fields.Kind);
        Write(buffer, fields.Subject);
        Write(buffer, fields.Data);
        Write(buffer, previousHash);
        return buffer.ToArray();
    }

    public static DateTimeOffset Normalize(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    private static void Write(MemoryStream buffer, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            buffer.Write(length);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
