using System.Security.Cryptography;

namespace Warden.Domain.Agents;

/// <summary>
/// <c>agt_</c> followed by 26 Crockford base32 characters: 48 bits of milliseconds then 80 random
/// bits, so ids sort by registration time and are never reused.
/// </summary>
public readonly record struct AgentId
{
    public const string Prefix = "agt_";

    /// <summary>Reserved for the demo agents that <c>--demo</c> seeds, so they are easy to recognise and type.</summary>
    public const string DemoPrefix = "agt_demo_";

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int SuffixLength = 26;

    private AgentId(string value) => Value = value;

    public string Value { get; }

    public static AgentId New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var millis = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(millis >> (8 * (5 - i)));
        RandomNumberGenerator.Fill(bytes[6..]);
        return new AgentId(Prefix + Encode(bytes));
    }

    public static AgentId Demo(string name) =>
        TryParse(DemoPrefix + name, out var id) ? id : throw new ArgumentException($"'{name}' is not a demo agent name.", nameof(name));

    public static bool TryParse(string? text, out AgentId id)
    {
        id = default;
        if (text is not null && text.StartsWith(DemoPrefix, StringComparison.Ordinal))
        {
            var name = text.AsSpan(DemoPrefix.Length);
            if (name.Length is 0 or > 21 || !name.ContainsOnly("abcdefghijklmnopqrstuvwxyz0123456789-"))
                return false;
            id = new AgentId(text);
            return true;
        }
        if (text is null || text.Length != Prefix.Length + SuffixLength || !text.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        if (!text.AsSpan(Prefix.Length).ContainsOnly(Alphabet))
            return false;
        id = new AgentId(text);
        return true;
    }

    public static AgentId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not an agent id.");

    public override string ToString() => Value ?? string.Empty;

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        Span<char> chars = stackalloc char[SuffixLength];
        for (var i = SuffixLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 32)];
            value /= 32;
        }
        return new string(chars);
    }
}

internal static class SpanExtensions
{
    public static bool ContainsOnly(this ReadOnlySpan<char> text, string allowed)
    {
        foreach (var c in text)
        {
            if (!allowed.Contains(c, StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}
