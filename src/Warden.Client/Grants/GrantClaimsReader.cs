using System.Text.Json;

namespace Warden.Client;

/// <summary>
/// A grant's claims read in one pass with <see cref="Utf8JsonReader"/>, no document built: null when
/// they are not one JSON object, lack a claim a grant carries, name a claim twice, or hold a time
/// that is not whole seconds within the calendar.
/// </summary>
internal static class GrantClaimsReader
{
    private const long LastSecond = 253402300799;

    public readonly record struct ClaimsRead(WardenGrantClaims Claims, bool ForAudience);

    public static ClaimsRead? Read(ReadOnlySpan<byte> payload, string audience)
    {
        string? decision = null, agent = null, tool = null, operation = null, resource = null, digest = null, issuer = null;
        long? expires = null, notBefore = null;
        bool? forAudience = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var ok = reader.ValueTextEquals("jti"u8) ? Text(ref reader, ref decision)
                    : reader.ValueTextEquals("sub"u8) ? Text(ref reader, ref agent)
                    : reader.ValueTextEquals("tool"u8) ? Text(ref reader, ref tool)
                    : reader.ValueTextEquals("operation"u8) ? Text(ref reader, ref operation)
                    : reader.ValueTextEquals("resource"u8) ? Text(ref reader, ref resource)
                    : reader.ValueTextEquals("digest"u8) ? Text(ref reader, ref digest)
                    : reader.ValueTextEquals("iss"u8) ? Text(ref reader, ref issuer)
                    : reader.ValueTextEquals("exp"u8) ? Seconds(ref reader, ref expires)
                    : reader.ValueTextEquals("nbf"u8) ? Seconds(ref reader, ref notBefore)
                    : reader.ValueTextEquals("aud"u8) ? Audience(ref reader, audience, ref forAudience)
                    : reader.TrySkip();
                if (!ok)
                    return null;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return null;
        }
        catch (JsonException)
        {
            return null;
        }
        if (decision is null || agent is null || tool is null || operation is null || resource is null || digest is null || expires is not { } exp)
            return null;
        var claims = new WardenGrantClaims(decision, agent, tool, operation, resource, digest, issuer,
            notBefore is { } nbf ? DateTimeOffset.FromUnixTimeSeconds(nbf) : DateTimeOffset.MinValue, DateTimeOffset.FromUnixTimeSeconds(exp));
        return new ClaimsRead(claims, forAudience == true);
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

    /// <summary><c>aud</c> is one string or an array; the grant is for us when one string of it is <paramref name="audience"/>.</summary>
    private static bool Audience(ref Utf8JsonReader reader, string audience, ref bool? forUs)
    {
        if (forUs is not null || !reader.Read())
            return false;
        if (reader.TokenType == JsonTokenType.String)
        {
            forUs = reader.ValueTextEquals(audience);
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            forUs = false;
            return reader.TrySkip();
        }
        var found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
                found |= reader.ValueTextEquals(audience);
            else if (!reader.TrySkip())
                return false;
        }
        forUs = found;
        return reader.TokenType == JsonTokenType.EndArray;
    }
}
