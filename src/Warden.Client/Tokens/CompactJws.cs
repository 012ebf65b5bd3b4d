using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Warden.Client;

/// <summary>Compact JWS (RFC 7515): three base64url parts, header.payload.signature.</summary>
internal static class CompactJws
{
    public static string Sign(object header, object payload, Func<byte[], byte[]> sign)
    {
        var signingInput = Encode(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        return signingInput + "." + Encode(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static byte[]? Decode(string part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
