using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Client;

/// <summary>
/// The offline check of a grant (notes: the grant contract): header (ES256 or RS256, typ
/// <c>warden-grant+jwt</c>, a known <c>kid</c>), signature, audience, issuer when configured,
/// lifetime within the skew, then that it names exactly the call about to run.
/// </summary>
internal static class GrantChecks
{
    public const string TokenType = "warden-grant+jwt";

    /// <summary>The <c>kid</c> of a grant's header, or null when the header cannot be read.</summary>
    public static string? KeyIdOf(string grant)
    {
        var dot = grant.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || Json(grant[..dot]) is not { } header)
            return null;
        return Text(header, "kid");
    }

    public static GrantVerification Check(string grant, WardenAsk call, GrantKeySet keys, GrantVerifierOptions options, DateTimeOffset now)
    {
        var parts = grant.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            return GrantVerification.Refused(GrantFailure.Malformed, "A grant is a compact JWS of three parts.");
        if (Json(parts[0]) is not { } header || Json(parts[1]) is not { } claims || CompactJws.Decode(parts[2]) is not { } signature)
            return GrantVerification.Refused(GrantFailure.Malformed, "The grant's header, claims or signature cannot be read.");

        var algorithm = Text(header, "alg");
        if (algorithm is not ("ES256" or "RS256") || !string.Equals(Text(header, "typ"), TokenType, StringComparison.OrdinalIgnoreCase))
            return GrantVerification.Refused(GrantFailure.WrongType, $"A grant is typed {TokenType} and signed with ES256 or RS256.");
        if (Text(header, "kid") is not { } kid || keys.Find(kid) is not { } key)
            return GrantVerification.Refused(GrantFailure.UnknownKey, "No key of Warden's key set signed this grant.");
        if (key.Algorithm != algorithm || !Verifies(key, parts, signature))
            return GrantVerification.Refused(GrantFailure.BadSignature, "The grant's signature does not verify: it was forged or changed.");

        if (Read(claims) is not { } read)
            return GrantVerification.Refused(GrantFailure.Malformed, "The grant lacks a claim it must carry.");
        if (!HasAudience(claims, options.Audience))
            return GrantVerification.Refused(GrantFailure.WrongAudience, $"The grant is not for {options.Audience}.", read);
        if (options.Issuer is { } issuer && read.Issuer != issuer)
            return GrantVerification.Refused(GrantFailure.WrongIssuer, $"The grant was not issued by {issuer}.", read);
        if (now - options.Skew >= read.ExpiresAt)
            return GrantVerification.Refused(GrantFailure.Expired, $"The grant expired at {read.ExpiresAt:O}.", read);
        if (now + options.Skew < read.NotBefore)
            return GrantVerification.Refused(GrantFailure.NotYetValid, $"The grant is valid from {read.NotBefore:O}.", read);

        if (read.Tool != call.Tool || !string.Equals(read.Operation, call.Operation, StringComparison.OrdinalIgnoreCase) || read.Resource != call.Resource)
            return GrantVerification.Refused(GrantFailure.WrongCall, $"The grant is for {read.Tool} ({read.Operation}) on {read.Resource}, not this call.", read);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(read.Digest), Encoding.ASCII.GetBytes(RequestDigest.Of(call))))
            return GrantVerification.Refused(GrantFailure.WrongCall, "The grant was decided for other parameters or impact than this call's.", read);
        return GrantVerification.Valid(read);
    }

    private static bool Verifies(GrantKey key, string[] parts, byte[] signature)
    {
        try
        {
            return key.Verifies(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static WardenGrantClaims? Read(JsonElement claims)
    {
        string? Claim(string name) => Text(claims, name);
        if (Claim("jti") is not { } decision || Claim("sub") is not { } agent || Claim("tool") is not { } tool
            || Claim("operation") is not { } operation || Claim("resource") is not { } resource || Claim("digest") is not { } digest
            || Seconds(claims, "exp") is not { } expires)
            return null;
        return new WardenGrantClaims(decision, agent, tool, operation, resource, digest, Claim("iss"),
            Seconds(claims, "nbf") ?? DateTimeOffset.MinValue, expires);
    }

    private static bool HasAudience(JsonElement claims, string audience) =>
        claims.TryGetProperty("aud", out var aud) && aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == audience),
            _ => false,
        };

    private static DateTimeOffset? Seconds(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static JsonElement? Json(string part)
    {
        if (CompactJws.Decode(part) is not { } bytes)
            return null;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
