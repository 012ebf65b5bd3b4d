using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Warden.Domain.Guardrails;
using Warden.Features.Decisions.Grants;

namespace Warden.Features.Decisions.Provenance;

/// <summary>
/// Provenance of released outputs as compact JWS (<c>typ: warden-provenance+jwt</c>), signed with the
/// grant key and verified with the same key set (<c>GET /api/v1/grants/keys</c>). It has no expiry: a
/// recipient may check an output long after it was released, with a retired key if need be.
/// </summary>
public sealed class ProvenanceTokens(GrantKeys keys, GrantIssuer issuer, SignedDocuments documents) : IProvenanceSigner
{
    public const string Type = "warden-provenance+jwt";
    public const string Audience = "warden-recipients";
    public const int MaxTokenLength = 8192;

    public string Issuer => issuer.Current;

    public string Sign(ReleaseClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var payload = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", claims.Issuer);
            writer.WriteString("aud", Audience);
            writer.WriteString("jti", claims.ReviewId);
            writer.WriteString("decision", claims.DecisionId);
            writer.WriteString("sub", claims.AgentId);
            writer.WriteString("tool", claims.Tool);
            writer.WriteString("digest", claims.Digest);
            writer.WriteNumber("iat", claims.ReleasedAt.ToUnixTimeSeconds());
            writer.WriteStartArray("masked");
            foreach (var masked in claims.Masked)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", masked.Kind);
                writer.WriteNumber("count", masked.Count);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return documents.Sign(Type, payload.WrittenSpan);
    }

    /// <summary>The claims of a provenance token signed with one of Warden's keys, or why it is refused (a code and a sentence).</summary>
    public (ReleaseClaims? Claims, string? Failure, string Detail) Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
            return (null, "malformed", "The provenance token is empty or too long.");
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            return (null, "malformed", "The provenance token is not a compact JWS (three base64url parts).");
        byte[] headerBytes, payloadBytes, signature;
        try
        {
            headerBytes = Base64Url.DecodeFromChars(parts[0]);
            payloadBytes = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return (null, "malformed", "A part of the provenance token is not base64url.");
        }
        string? algorithm, keyId, type;
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            algorithm = Text(header.RootElement, "alg");
            keyId = Text(header.RootElement, "kid");
            type = Text(header.RootElement, "typ");
            if (header.RootElement.TryGetProperty("crit", out _))
                return (null, "malformed", "The provenance token's header names critical extensions Warden does not use.");
        }
        catch (JsonException)
        {
            return (null, "malformed", "The provenance token's header is not JSON.");
        }
        if (type != Type)
            return (null, "wrong_type", $"The token is typed '{type}', not {Type}: it is not a provenance record.");
        if (keys.Find(keyId) is not { } key)
            return (null, "unknown_key", $"No key of this Warden has the id '{keyId}': the token was signed elsewhere or with a key removed since.");
        if (key.Algorithm != algorithm)
            return (null, "wrong_algorithm", $"The token claims {algorithm}, but key '{keyId}' signs {key.Algorithm}.");
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!key.VerifyHash(SHA256.HashData(signingInput), signature))
            return (null, "bad_signature", "The signature does not verify: the token was altered or forged.");
        try
        {
            using var payload = JsonDocument.Parse(payloadBytes);
            var root = payload.RootElement;
            if (Text(root, "aud") != Audience)
                return (null, "wrong_type", $"The token is not addressed to recipients of outputs (aud {Audience}).");
            var masked = root.TryGetProperty("masked", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(m => new MaskedKind(Text(m, "kind") ?? string.Empty, m.GetProperty("count").GetInt32())).ToList()
                : [];
            if (Text(root, "iss") is not { } iss || Text(root, "jti") is not { } jti || Text(root, "decision") is not { } decision
                || Text(root, "sub") is not { } sub || Text(root, "tool") is not { } tool || Text(root, "digest") is not { } digest
                || !root.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var seconds))
                return (null, "malformed", "The provenance token lacks a claim it must carry.");
            return (new ReleaseClaims(iss, jti, decision, sub, tool, digest, DateTimeOffset.FromUnixTimeSeconds(seconds), masked), null, "signed by Warden");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentOutOfRangeException or KeyNotFoundException)
        {
            return (null, "malformed", "The provenance token's claims cannot be read.");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
