using System.Buffers;
using System.Buffers.Text;
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
    /// </summary>
    public bool TryRead(string? token, out GrantClaims claims)
    {
        claims = null!;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
            return false;
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token.IndexOf('.', firstDot + 1) != lastDot || lastDot == token.Length - 1)
            return false;
        try
        {
            var key = KeyOf(Base64Url.DecodeFromChars(token.AsSpan(0, firstDot)));
            if (key is null)
                return false;
            var signature = Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1));
            if (!key.Verify(Encoding.ASCII.GetBytes(token, 0, lastDot), signature))
                return false;
            return TryReadPayload(Base64Url.DecodeFromChars(token.AsSpan(firstDot + 1, lastDot - firstDot - 1)), out claims);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The signing key the header names, with its algorithm and the grant type; nothing else is accepted.</summary>
    private GrantKey? KeyOf(byte[] header)
    {
        using var document = JsonDocument.Parse(header);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("crit", out _))
            return null;
        if (!root.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String || typ.GetString() != Type)
            return null;
        if (!root.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String)
            return null;
        var key = keys.Find(kid.GetString());
        return key is not null && root.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String && alg.GetString() == key.Algorithm
            ? key
            : null;
    }

    private static bool TryReadPayload(byte[] payload, out GrantClaims claims)
    {
        claims = null!;
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !HasAudience(root))
            return false;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        long? Seconds(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var s) ? s : null;
        if (Text("iss") is not { } iss || Text("jti") is not { } jti || Text("sub") is not { } sub || Text("tool") is not { } tool
            || Text("operation") is not { } operation || Text("resource") is not { } resource || Text("digest") is not { } digest
            || Seconds("iat") is not { } iat || Seconds("exp") is not { } exp)
            return false;
        claims = new GrantClaims(iss, jti, sub, tool, operation, resource, digest,
            DateTimeOffset.FromUnixTimeSeconds(iat), DateTimeOffset.FromUnixTimeSeconds(exp));
        return true;
    }

    private static bool HasAudience(JsonElement root) =>
        root.TryGetProperty("aud", out var aud) && aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == Audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == Audience),
            _ => false,
        };

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
