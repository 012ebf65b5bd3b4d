using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Features.Decisions.Grants;

/// <summary>
/// Execution grants as compact JWS (contract: docs/grants.md). Signed from the decision record on each
/// answer, so nothing is stored and a replayed answer carries a grant for the same decision; tools
/// verify them offline with the key set and redeem them once.
/// </summary>
public sealed class GrantTokens(GrantKeys keys, GrantIssuer issuer)
{
    public const string Type = "warden-grant+jwt";
    public const string Audience = "warden-tools";

    /// <summary>How long an allow's grant (or an approval's) may be used.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const int MaxTokenLength = 4096;
    private const int MaxHeaderLength = 1024;
    private const int MaxKeyIdLength = 256;
    private const int MaxSignatureLength = 1024;
    private const long LastSecond = 253402300799;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly byte[] _header = EncodedHeader(keys.Signing);

    public string For(DecisionRecord record) => Sign(GrantClaims.Of(record, issuer.Current));

    public string Sign(GrantClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var payload = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", claims.Issuer);
            writer.WriteString("aud", Audience);
            writer.WriteString("jti", claims.DecisionId);
            writer.WriteString("sub", claims.AgentId);
            writer.WriteString("tool", claims.Tool);
            writer.WriteString("operation", claims.Operation);
            writer.WriteString("resource", claims.Resource);
            writer.WriteString("digest", claims.Digest);
            if (claims.PreviewDigest is { } preview)
                writer.WriteString("preview_sha256", preview);
            writer.WriteNumber("iat", claims.IssuedAt.ToUnixTimeSeconds());
            writer.WriteNumber("nbf", claims.IssuedAt.ToUnixTimeSeconds());
            writer.WriteNumber("exp", claims.ExpiresAt.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var key = keys.Signing;
        var payloadLength = Base64Url.GetEncodedLength(payload.WrittenCount);
        var signedLength = _header.Length + 1 + payloadLength;
        var token = new byte[signedLength + 1 + Base64Url.GetEncodedLength(key.SignatureLength)];
        _header.CopyTo(token, 0);
        token[_header.Length] = (byte)'.';
        Base64Url.EncodeToUtf8(payload.WrittenSpan, token.AsSpan(_header.Length + 1));
        Span<byte> signature = stackalloc byte[key.SignatureLength];
        var written = key.Sign(token.AsSpan(0, signedLength), signature);
        token[signedLength] = (byte)'.';
        Base64Url.EncodeToUtf8(signature[..written], token.AsSpan(signedLength + 1));
        return Encoding.ASCII.GetString(token);
    }

    /// <summary>
    /// The claims of a grant this console signed with one of its keys, of the grant type and audience;
    /// false for anything else (malformed, tampered, another key or algorithm). Time is the caller's check.
    /// Read in place: spans and stack buffers, the signing input hashed once, JSON read without a document.
    /// </summary>
    public bool TryRead(string? token, out GrantClaims claims)
    {
        claims = null!;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
            return false;
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || lastDot <= firstDot + 1 || lastDot == token.Length - 1 || token.IndexOf('.', lastDot + 1) >= 0)
            return false;
        var text = token.AsSpan();
        if (text[..firstDot].ContainsAnyExcept(Base64UrlAlphabet) || text[(firstDot + 1)..lastDot].ContainsAnyExcept(Base64UrlAlphabet)
            || text[(lastDot + 1)..].ContainsAnyExcept(Base64UrlAlphabet))
            return false;
        if (KeyOf(text[..firstDot]) is not { } key)
            return false;

        Span<byte> signature = stackalloc byte[MaxSignatureLength];
        if (text.Length - lastDot - 1 > Base64Url.GetEncodedLength(MaxSignatureLength) || !TryDecode(text[(lastDot + 1)..], signature, out var signatureLength))
            return false;
        Span<byte> buffer = stackalloc byte[MaxTokenLength + Base64Url.GetMaxDecodedLength(MaxTokenLength)];
        var signingInput = buffer[..lastDot];
        Encoding.ASCII.GetBytes(text[..lastDot], signingInput);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(signingInput, hash);
        if (!key.VerifyHash(hash, signature[..signatureLength]))
            return false;
        return TryDecode(text[(firstDot + 1)..lastDot], buffer[lastDot..], out var payloadLength)
            && TryReadPayload(buffer.Slice(lastDot, payloadLength), out claims);
    }

    private static bool TryDecode(ReadOnlySpan<char> encoded, Span<byte> destination, out int written) =>
        Base64Url.DecodeFromChars(encoded, destination, out var read, out written) == OperationStatus.Done && read == encoded.Length;

    /// <summary>The signing key the header names, with its algorithm and the grant type; nothing else is accepted.</summary>
    private GrantKey? KeyOf(ReadOnlySpan<char> encodedHeader)
    {
        Span<byte> header = stackalloc byte[Base64Url.GetMaxDecodedLength(MaxHeaderLength)];
        if (encodedHeader.Length > MaxHeaderLength || !TryDecode(encodedHeader, header, out var length))
            return null;
        Span<char> kid = stackalloc char[MaxKeyIdLength];
        var kidLength = -1;
        string? algorithm = null;
        bool typed = false, seenAlgorithm = false, seenType = false, seenKid = false;
        try
        {
            var reader = new Utf8JsonReader(header[..length]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (!Once(ref seenAlgorithm) || !reader.Read() || reader.TokenType != JsonTokenType.String)
                        return null;
                    algorithm = reader.ValueTextEquals(GrantKey.EcAlgorithm) ? GrantKey.EcAlgorithm : reader.ValueTextEquals(GrantKey.RsaAlgorithm) ? GrantKey.RsaAlgorithm : null;
                }
                else if (reader.ValueTextEquals("typ"u8))
                {
                    if (!Once(ref seenType) || !reader.Read())
                        return null;
                    typed = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Type);
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    if (!Once(ref seenKid) || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > MaxKeyIdLength)
                        return null;
                    kidLength = reader.CopyString(kid);
                }
                else if (reader.ValueTextEquals("crit"u8) || !reader.TrySkip())
                {
                    return null;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return null;
        }
        catch (JsonException)
        {
            return null;
        }
        return typed && algorithm is not null && kidLength > 0 && keys.Find(kid[..kidLength]) is { } key && key.Algorithm == algorithm ? key : null;
    }

    private static bool Once(ref bool seen)
    {
        if (seen)
            return false;
        seen = true;
        return true;
    }

    private static bool TryReadPayload(ReadOnlySpan<byte> payload, out GrantClaims claims)
    {
        claims = null!;
        string? iss = null, jti = null, sub = null, tool = null, operation = null, resource = null, digest = null, preview = null;
        long? iat = null, exp = null;
        bool? forTools = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var ok = reader.ValueTextEquals("iss"u8) ? Text(ref reader, ref iss)
                    : reader.ValueTextEquals("jti"u8) ? Text(ref reader, ref jti)
                    : reader.ValueTextEquals("sub"u8) ? Text(ref reader, ref sub)
                    : reader.ValueTextEquals("tool"u8) ? Text(ref reader, ref tool)
                    : reader.ValueTextEquals("operation"u8) ? Text(ref reader, ref operation)
                    : reader.ValueTextEquals("resource"u8) ? Text(ref reader, ref resource)
                    : reader.ValueTextEquals("digest"u8) ? Text(ref reader, ref digest)
                    : reader.ValueTextEquals("preview_sha256"u8) ? Text(ref reader, ref preview)
                    : reader.ValueTextEquals("iat"u8) ? Seconds(ref reader, ref iat)
                    : reader.ValueTextEquals("exp"u8) ? Seconds(ref reader, ref exp)
                    : reader.ValueTextEquals("aud"u8) ? ForTools(ref reader, ref forTools)
                    : reader.TrySkip();
                if (!ok)
                    return false;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return false;
        }
        catch (JsonException)
        {
            return false;
        }
        if (forTools != true || iss is null || jti is null || sub is null || tool is null || operation is null || resource is null || digest is null
            || iat is not { } issued || exp is not { } expires)
            return false;
        claims = new GrantClaims(iss, jti, sub, tool, operation, resource, digest,
            DateTimeOffset.FromUnixTimeSeconds(issued), DateTimeOffset.FromUnixTimeSeconds(expires)) { PreviewDigest = preview };
        return true;
    }

    private static bool Text(ref Utf8JsonReader reader, ref string? value)
    {
        if (value is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
            return false;
        value = reader.GetString();
        return true;
    }

    private static bool Seconds(ref Utf8JsonReader reader, ref long? value)
    {
        if (value is not null || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var seconds) || seconds is < 0 or > LastSecond)
            return false;
        value = seconds;
        return true;
    }

    private static bool ForTools(ref Utf8JsonReader reader, ref bool? forTools)
    {
        if (forTools is not null || !reader.Read())
            return false;
        if (reader.TokenType == JsonTokenType.String)
        {
            forTools = reader.ValueTextEquals(Audience);
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            return false;
        var found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
                found |= reader.ValueTextEquals(Audience);
            else if (!reader.TrySkip())
                return false;
        }
        forTools = found;
        return true;
    }

    private static byte[] EncodedHeader(GrantKey key)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["alg"] = key.Algorithm,
            ["kid"] = key.Id,
            ["typ"] = Type,
        });
        return Encoding.ASCII.GetBytes(Base64Url.EncodeToString(json));
    }
}
