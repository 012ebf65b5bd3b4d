using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Features.Decisions.Grants;

/// <summary>
/// Compact JWS of other types than grants, signed with the same key (so a recipient verifies them
/// with the key set tools already fetch): each type has its own <c>typ</c>, so one can never be
/// taken for another or for a grant. Not on the decision path; clarity over allocation here.
/// </summary>
public sealed class SignedDocuments(GrantKeys keys)
{
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>Signs <paramref name="payload"/> (a JSON object) as a compact JWS of <paramref name="type"/>.</summary>
    public string Sign(string type, ReadOnlySpan<byte> payload)
    {
        var key = keys.Signing;
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = key.Algorithm, ["kid"] = key.Id, ["typ"] = type });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        Span<byte> signature = stackalloc byte[key.SignatureLength];
        var written = key.Sign(Encoding.ASCII.GetBytes(signingInput), signature);
        return signingInput + "." + Base64Url.EncodeToString(signature[..written]);
    }

    /// <summary>
    /// The payload of a token of <paramref name="type"/> signed by one of this console's keys; null for
    /// anything else (malformed, another type, unknown key, another algorithm, a bad signature).
    /// </summary>
    public JsonDocument? Read(string? token, string type)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
            return null;
        var parts = token.Split('.');
        if (parts.Length != 3)
            return null;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            var root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("crit", out _)
                || !root.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String || typ.GetString() != type
                || !root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || keys.Find(kid.GetString()) is not { } key || key.Algorithm != alg.GetString())
                return null;
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (!key.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
                return null;
            var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (payload.RootElement.ValueKind == JsonValueKind.Object)
                return payload;
            payload.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or CryptographicException)
        {
            return null;
        }
    }
}
