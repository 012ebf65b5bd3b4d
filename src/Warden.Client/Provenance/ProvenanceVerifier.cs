using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Client;

/// <summary>
/// For recipients of an agent's output: checks offline, with Warden's public keys (the key set grants
/// are verified with, <see cref="GrantVerifier.GetKeysAsync"/>), that a provenance token was signed by
/// Warden and names exactly the text received (its SHA-256 in UTF-8).
/// </summary>
public static class ProvenanceVerifier
{
    public const string TokenType = "warden-provenance+jwt";
    public const string Audience = "warden-recipients";
    public const int MaxLength = 8192;

    /// <param name="expectedIssuer">The Warden that must have issued it (its issuer address), or null to accept any holder of these keys.</param>
    public static ProvenanceVerification Verify(string token, string releasedText, GrantKeySet keys, string? expectedIssuer = null)
    {
        ArgumentNullException.ThrowIfNull(releasedText);
        return VerifyDigest(token, DigestOf(releasedText), keys, expectedIssuer);
    }

    /// <summary>As <see cref="Verify"/>, with the SHA-256 of the released text (64 hex digits) instead of the text.</summary>
    public static ProvenanceVerification VerifyDigest(string token, string digest, GrantKeySet keys, string? expectedIssuer = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(keys);
        var read = Read(token, keys);
        if (read.Failure is not null)
            return read;
        var claims = read.Claims!;
        if (expectedIssuer is not null && !string.Equals(claims.Issuer, expectedIssuer, StringComparison.Ordinal))
            return ProvenanceVerification.Refused(ProvenanceFailure.WrongIssuer, $"Issued by {claims.Issuer}, not {expectedIssuer}.", claims);
        var expected = Encoding.ASCII.GetBytes(digest.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(claims.Digest))
            ? new ProvenanceVerification(null, "valid", claims)
            : ProvenanceVerification.Refused(ProvenanceFailure.DigestMismatch, "The token is Warden's, but for another output: this text is not exactly what was released.", claims);
    }

    /// <summary>The SHA-256 of <paramref name="text"/> in UTF-8 as 64 lowercase hex digits, as Warden digests a released output.</summary>
    public static string DigestOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static ProvenanceVerification Read(string token, GrantKeySet keys)
    {
        var parts = token.Length > MaxLength ? [] : token.Split('.');
        if (parts.Length != 3 || Array.Exists(parts, p => p.Length == 0))
            return ProvenanceVerification.Refused(ProvenanceFailure.Malformed, "A provenance token is a compact JWS of three base64url parts.");
        byte[] header, payload, signature;
        try
        {
            header = Base64Url.DecodeFromChars(parts[0]);
            payload = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return ProvenanceVerification.Refused(ProvenanceFailure.Malformed, "A part of the token is not base64url.");
        }
        try
        {
            using var headerDocument = JsonDocument.Parse(header);
            var h = headerDocument.RootElement;
            if (h.TryGetProperty("crit", out _))
                return ProvenanceVerification.Refused(ProvenanceFailure.Malformed, "The token's header names critical extensions.");
            if (Text(h, "typ") != TokenType)
                return ProvenanceVerification.Refused(ProvenanceFailure.WrongType, $"The token is not typed {TokenType}.");
            var kid = Text(h, "kid");
            if (kid is null || keys.Find(kid) is not { } key)
                return ProvenanceVerification.Refused(ProvenanceFailure.UnknownKey, $"No key in Warden's key set has the id '{kid}'.");
            if (Text(h, "alg") != key.Algorithm)
                return ProvenanceVerification.Refused(ProvenanceFailure.WrongType, $"The token claims {Text(h, "alg")}, but key '{kid}' is {key.Algorithm}.");
            var hash = SHA256.HashData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!key.VerifiesHash(hash, signature))
                return ProvenanceVerification.Refused(ProvenanceFailure.BadSignature, "The signature does not verify: the token was forged or changed.");
            using var claimsDocument = JsonDocument.Parse(payload);
            var c = claimsDocument.RootElement;
            if (Text(c, "aud") != Audience)
                return ProvenanceVerification.Refused(ProvenanceFailure.WrongType, $"The token is not addressed to recipients ({Audience}).");
            var masked = c.TryGetProperty("masked", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(m => new WardenMaskedKind(Text(m, "kind") ?? string.Empty, m.GetProperty("count").GetInt32())).ToList()
                : [];
            if (Text(c, "jti") is not { } jti || Text(c, "decision") is not { } decision || Text(c, "sub") is not { } sub
                || Text(c, "tool") is not { } tool || Text(c, "digest") is not { } digest || Text(c, "iss") is not { } iss
                || !c.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var seconds))
                return ProvenanceVerification.Refused(ProvenanceFailure.Malformed, "The token lacks a claim it must carry.");
            return new ProvenanceVerification(null, "signed", new WardenProvenanceClaims(jti, decision, sub, tool, digest, iss, DateTimeOffset.FromUnixTimeSeconds(seconds), masked));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentOutOfRangeException)
        {
            return ProvenanceVerification.Refused(ProvenanceFailure.Malformed, "The token's header or claims cannot be read.");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
