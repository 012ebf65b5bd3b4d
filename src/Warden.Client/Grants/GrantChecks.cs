using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Warden.Client;

/// <summary>
/// The offline check of a grant (the grant contract, docs/grants.md): three base64url parts; a header
/// of ES256 or RS256, typ <c>warden-grant+jwt</c> and a known <c>kid</c> whose key has that
/// algorithm; the signature; audience, issuer when configured, lifetime within the skew; then that it
/// names exactly the call about to run. A tool runs it before every call, so it reads the token in
/// place (spans, stack buffers, <see cref="Utf8JsonReader"/>) and hashes the signing input once.
/// </summary>
internal static class GrantChecks
{
    public const string TokenType = "warden-grant+jwt";

    /// <summary>No grant of the console comes near this (600 to 1,100 characters); anything longer is refused unread.</summary>
    public const int MaxLength = 8192;

    private const int MaxHeaderLength = 1024;
    private const int MaxKeyIdLength = 256;
    private const int MaxSignatureLength = 1024;
    private const int StackBufferLength = 4096;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static GrantVerification Check(string grant, WardenAsk call, GrantKeySet keys, GrantVerifierOptions options, DateTimeOffset now)
    {
        if (!TrySplit(grant, out var first, out var second))
            return GrantVerification.Refused(GrantFailure.Malformed, "A grant is a compact JWS of three base64url parts.");
        var header = ReadHeader(grant.AsSpan(0, first), keys, TokenType, "grant");
        if (header.Refusal is { } refusal)
            return refusal;
        var key = header.Key!;

        var encodedSignature = grant.AsSpan(second + 1);
        Span<byte> signature = stackalloc byte[MaxSignatureLength];
        if (encodedSignature.Length > Base64Url.GetEncodedLength(MaxSignatureLength) || !TryDecode(encodedSignature, signature, out var signatureLength))
            return GrantVerification.Refused(GrantFailure.Malformed, "The grant's signature cannot be read.");

        byte[]? rented = null;
        var needed = second + Base64Url.GetMaxDecodedLength(second - first - 1);
        var buffer = needed <= StackBufferLength ? stackalloc byte[StackBufferLength] : (rented = ArrayPool<byte>.Shared.Rent(needed));
        try
        {
            var signingInput = buffer[..second];
            Encoding.ASCII.GetBytes(grant.AsSpan(0, second), signingInput);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(signingInput, hash);
            if (!TryDecode(grant.AsSpan(first + 1, second - first - 1), buffer[second..], out var payloadLength))
                return GrantVerification.Refused(GrantFailure.Malformed, "The grant's claims cannot be read.");
            if (!key.VerifiesHash(hash, signature[..signatureLength]))
                return GrantVerification.Refused(GrantFailure.BadSignature, "The grant's signature does not verify: it was forged or changed.");
            return CheckClaims(buffer.Slice(second, payloadLength), call, options, now);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The dots of a compact JWS: exactly three non-empty parts of base64url characters.</summary>
    internal static bool TrySplit(string grant, out int first, out int second)
    {
        first = grant.IndexOf('.', StringComparison.Ordinal);
        second = first < 0 ? -1 : grant.IndexOf('.', first + 1);
        if (grant.Length > MaxLength || first <= 0 || second <= first + 1 || second == grant.Length - 1)
            return false;
        var span = grant.AsSpan();
        return !span[..first].ContainsAnyExcept(Base64UrlAlphabet)
            && !span[(first + 1)..second].ContainsAnyExcept(Base64UrlAlphabet)
            && !span[(second + 1)..].ContainsAnyExcept(Base64UrlAlphabet);
    }

    /// <summary>Base64url without padding into <paramref name="destination"/>; false (never an exception) for anything else.</summary>
    internal static bool TryDecode(ReadOnlySpan<char> encoded, Span<byte> destination, out int written) =>
        Base64Url.DecodeFromChars(encoded, destination, out var read, out written) == OperationStatus.Done && read == encoded.Length;

    internal readonly record struct Header(GrantKey? Key, GrantVerification? Refusal);

    /// <summary>The key that signed a compact JWS of <paramref name="type"/> (a grant, or another document Warden signs with the same keys).</summary>
    internal static Header ReadHeader(ReadOnlySpan<char> encoded, GrantKeySet keys, string type, string what)
    {
        Span<byte> json = stackalloc byte[Base64Url.GetMaxDecodedLength(MaxHeaderLength)];
        if (encoded.Length > MaxHeaderLength || !TryDecode(encoded, json, out var length))
            return Refused(GrantFailure.Malformed, $"The {what}'s header cannot be read.");
        Span<char> kid = stackalloc char[MaxKeyIdLength];
        string? algorithm = null;
        bool typed = false, seenAlgorithm = false, seenType = false, seenKid = false;
        var kidLength = -1;
        try
        {
            var reader = new Utf8JsonReader(json[..length]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Refused(GrantFailure.Malformed, $"The {what}'s header is not a JSON object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8) && Once(ref seenAlgorithm))
                {
                    reader.Read();
                    algorithm = reader.TokenType != JsonTokenType.String ? "" : reader.ValueTextEquals("ES256"u8) ? "ES256" : reader.ValueTextEquals("RS256"u8) ? "RS256" : "";
                }
                else if (reader.ValueTextEquals("typ"u8) && Once(ref seenType))
                {
                    reader.Read();
                    typed = IsType(ref reader, type);
                }
                else if (reader.ValueTextEquals("kid"u8) && Once(ref seenKid))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= MaxKeyIdLength)
                        kidLength = reader.CopyString(kid);
                }
                else if (reader.ValueTextEquals("alg"u8) || reader.ValueTextEquals("typ"u8) || reader.ValueTextEquals("kid"u8))
                {
                    return Refused(GrantFailure.Malformed, $"The {what}'s header names a member twice.");
                }
                else if (reader.ValueTextEquals("crit"u8))
                {
                    return Refused(GrantFailure.WrongType, $"The {what}'s header asks for extensions a verifier does not know.");
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Refused(GrantFailure.Malformed, $"The {what}'s header is not one JSON object.");
        }
        catch (JsonException)
        {
            return Refused(GrantFailure.Malformed, $"The {what}'s header is not JSON.");
        }

        if (algorithm is not { Length: > 0 } || !typed)
            return Refused(GrantFailure.WrongType, $"A {what} is typed {type} and signed with ES256 or RS256.");
        if (kidLength <= 0 || keys.Find(kid[..kidLength]) is not { } key)
            return Refused(GrantFailure.UnknownKey, $"No key of Warden's key set signed this {what}.");
        if (key.Algorithm != algorithm)
            return Refused(GrantFailure.BadSignature, $"The {what} says {algorithm} but its key signs {key.Algorithm}: it was forged.");
        return new Header(key, null);
    }

    private static Header Refused(GrantFailure failure, string detail) => new(null, GrantVerification.Refused(failure, detail));

    private static bool Once(ref bool seen)
    {
        if (seen)
            return false;
        seen = true;
        return true;
    }

    private static bool IsType(ref Utf8JsonReader reader, string type)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > 64)
            return false;
        Span<char> text = stackalloc char[64];
        return text[..reader.CopyString(text)].Equals(type, StringComparison.OrdinalIgnoreCase);
    }

    private static GrantVerification CheckClaims(ReadOnlySpan<byte> payload, WardenAsk call, GrantVerifierOptions options, DateTimeOffset now)
    {
        if (GrantClaimsReader.Read(payload, options.Audience) is not { } read)
            return GrantVerification.Refused(GrantFailure.Malformed, "The grant's claims are not one JSON object with every claim it must carry, each once.");
        var claims = read.Claims;
        if (!read.ForAudience)
            return GrantVerification.Refused(GrantFailure.WrongAudience, $"The grant is not for {options.Audience}.", claims);
        if (options.Issuer is { } issuer && claims.Issuer != issuer)
            return GrantVerification.Refused(GrantFailure.WrongIssuer, $"The grant was not issued by {issuer}.", claims);
        if (now - options.Skew >= claims.ExpiresAt)
            return GrantVerification.Refused(GrantFailure.Expired, $"The grant expired at {claims.ExpiresAt:O}.", claims);
        if (now + options.Skew < claims.NotBefore)
            return GrantVerification.Refused(GrantFailure.NotYetValid, $"The grant is valid from {claims.NotBefore:O}.", claims);

        if (claims.Tool != call.Tool || !string.Equals(claims.Operation, call.Operation, StringComparison.OrdinalIgnoreCase) || claims.Resource != call.Resource)
            return GrantVerification.Refused(GrantFailure.WrongCall, $"The grant is for {claims.Tool} ({claims.Operation}) on {claims.Resource}, not this call.", claims);
        if (!DigestMatches(claims.Digest, call))
            return GrantVerification.Refused(GrantFailure.WrongCall, "The grant was decided for other parameters or impact than this call's.", claims);
        return GrantVerification.Valid(claims);
    }

    private static bool DigestMatches(string claimed, WardenAsk call)
    {
        Span<byte> expected = stackalloc byte[RequestDigest.HexLength];
        RequestDigest.WriteHex(call, expected);
        Span<byte> actual = stackalloc byte[RequestDigest.HexLength];
        return claimed.Length == RequestDigest.HexLength
            && Encoding.ASCII.GetBytes(claimed, actual) == RequestDigest.HexLength
            && CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
