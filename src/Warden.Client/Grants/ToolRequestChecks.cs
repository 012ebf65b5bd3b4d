using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Client;

/// <summary>Whether a request that claims to come from Warden (a preview to give, an action to undo) does.</summary>
/// <param name="Failure">Why it is refused (null when it verifies), with the same kinds as a grant's.</param>
/// <param name="Event">The event Warden signed, for example <c>preview.requested</c> or <c>rollback.requested</c>.</param>
/// <param name="DeliveryId">The id to deduplicate on: Warden sends the same id when it retries the same thing.</param>
public sealed record ToolRequestVerification(GrantFailure? Failure, string Detail, string? Event = null, string? DeliveryId = null)
{
    public bool IsValid => Failure is null;
}

/// <summary>
/// The check of a <c>Warden-Signature</c> header (docs/tool-hooks.md): a compact JWS typed
/// <c>warden-webhook+jwt</c> by one of Warden's grant keys, for this endpoint's origin, unexpired,
/// whose <c>body_sha256</c> is the SHA-256 of the exact body received. Not on a hot path.
/// </summary>
internal static class ToolRequestChecks
{
    public const string TokenType = "warden-webhook+jwt";

    public static ToolRequestVerification Check(string? signature, ReadOnlySpan<byte> body, Uri endpoint, GrantKeySet keys, GrantVerifierOptions options, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || !GrantChecks.TrySplit(signature, out var first, out var second))
            return Refused(GrantFailure.Malformed, "The Warden-Signature header is missing or is not a compact JWS of three base64url parts.");
        var header = GrantChecks.ReadHeader(signature.AsSpan(0, first), keys, TokenType, "request signature");
        if (header.Refusal is { } refusal)
            return Refused(refusal.Failure!.Value, refusal.Detail);
        var encodedSignature = signature.AsSpan(second + 1);
        var signed = new byte[Base64Url.GetMaxDecodedLength(encodedSignature.Length)];
        var payload = new byte[Base64Url.GetMaxDecodedLength(second - first - 1)];
        if (!GrantChecks.TryDecode(encodedSignature, signed, out var signatureLength)
            || !GrantChecks.TryDecode(signature.AsSpan(first + 1, second - first - 1), payload, out var payloadLength))
            return Refused(GrantFailure.Malformed, "The request signature cannot be read.");
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(signature[..second]));
        if (!header.Key!.VerifiesHash(hash, signed.AsSpan(0, signatureLength)))
            return Refused(GrantFailure.BadSignature, "The request signature does not verify: it was forged or changed.");
        try
        {
            using var document = JsonDocument.Parse(payload.AsMemory(0, payloadLength));
            var claims = document.RootElement;
            var evt = Text(claims, "evt");
            var delivery = Text(claims, "jti");
            if (claims.ValueKind != JsonValueKind.Object || evt is null || delivery is null || Text(claims, "aud") is not { } audience
                || Text(claims, "body_sha256") is not { } digest || Seconds(claims, "exp") is not { } expires || Text(claims, "iss") is not { } issuer)
                return Refused(GrantFailure.Malformed, "The request signature does not carry every claim it must.");
            if (audience != endpoint.GetLeftPart(UriPartial.Authority))
                return Refused(GrantFailure.WrongAudience, $"The request was signed for {audience}, not this endpoint.");
            if (options.Issuer is { } expected && issuer != expected)
                return Refused(GrantFailure.WrongIssuer, $"The request was not signed by {expected}.");
            if (now - options.Skew >= expires)
                return Refused(GrantFailure.Expired, $"The request signature expired at {expires:O}.");
            var actual = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(SHA256.HashData(body)));
            if (!CryptographicOperations.FixedTimeEquals(actual, Encoding.ASCII.GetBytes(digest)))
                return Refused(GrantFailure.WrongCall, "The body is not the one Warden signed.");
            return new ToolRequestVerification(null, "Signed by Warden for this endpoint.", evt, delivery);
        }
        catch (JsonException)
        {
            return Refused(GrantFailure.Malformed, "The request signature's claims are not JSON.");
        }
    }

    private static ToolRequestVerification Refused(GrantFailure failure, string detail) => new(failure, detail);

    private static string? Text(JsonElement claims, string name) =>
        claims.ValueKind == JsonValueKind.Object && claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Seconds(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is >= 0 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
