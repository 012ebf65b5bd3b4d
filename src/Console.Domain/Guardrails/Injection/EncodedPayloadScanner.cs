using System.Text;
using System.Text.RegularExpressions;
using Warden.Domain.Guardrails.Packs;

namespace Warden.Domain.Guardrails.Injection;

/// <summary>
/// Base64 (or base64url) and hexadecimal blobs that decode to readable text carrying instructions,
/// also when encoded twice. Images (<c>data:image/…</c>, PNG, JPEG, GIF, WebP, PDF bytes) and binary data are not payloads.
/// </summary>
public sealed partial class EncodedPayloadScanner(PackScanner phrases) : IScanner
{
    public const int MinLength = 40;
    public const int MaxDepth = 3;

    private static readonly string[] Markers =
    [
        "ignore", "disregard", "instruction", "system prompt", "you are now", "jailbreak", "exfiltrate", "send the", "curl ", "wget ",
        "rm -rf", "powershell", "password", "api key", "<script",
    ];

    private static readonly byte[][] BinaryMagic =
    [
        [0x89, 0x50, 0x4E, 0x47], [0xFF, 0xD8, 0xFF], [0x47, 0x49, 0x46, 0x38], [0x52, 0x49, 0x46, 0x46], [0x25, 0x50, 0x44, 0x46],
        [0x50, 0x4B, 0x03, 0x04], [0x1F, 0x8B],
    ];

    public string Name => "encoded-payload";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.LongestBase64Run < MinLength)
            return;
        foreach (var match in PatternMatches.In(Blob(), text, findings, Name))
        {
            if (IsDataImage(text.Value, match.Index))
                continue;
            if (Inspect(match.Value, depth: 1) is { } hit)
                findings.Add(text.Finding(FindingKinds.Encoded, hit.Confidence, hit.Excerpt, match.Index, match.Length, Name));
        }
    }

    private (double Confidence, string Excerpt)? Inspect(string blob, int depth)
    {
        var hex = IsHex(blob);
        var decoded = hex ? DecodeHex(blob) : Decode(blob);
        if (decoded is null)
            return null;
        var encoding = hex ? "hex" : "base64";
        var layers = depth == 1 ? encoding : $"{encoding} ×{depth}";
        var pattern = phrases.Matching(decoded).FirstOrDefault();
        if (pattern is not null)
            return (0.9, $"{layers} ({blob.Length} chars) decodes to an instruction ({pattern.Id})");
        if (Array.Find(Markers, m => decoded.Contains(m, StringComparison.OrdinalIgnoreCase)) is { } marker)
            return (0.75, $"{layers} ({blob.Length} chars) decodes to text mentioning '{marker.Trim()}'");
        if (depth >= MaxDepth)
            return null;
        foreach (Match inner in Blob().Matches(decoded))
        {
            if (Inspect(inner.Value, depth + 1) is { } hit)
                return hit;
        }
        return null;
    }

    /// <summary>The blob as text, or null when it is not base64, not UTF-8 or mostly not printable.</summary>
    internal static string? Decode(string blob)
    {
        var normalized = blob.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        if (normalized.Length % 4 == 1)
            normalized = normalized[..^1];
        normalized = normalized.PadRight(normalized.Length + (4 - normalized.Length % 4) % 4, '=');
        var bytes = new byte[normalized.Length / 4 * 3];
        if (!Convert.TryFromBase64String(normalized, bytes, out var written) || written == 0)
            return null;
        var data = bytes.AsSpan(0, written);
        foreach (var magic in BinaryMagic)
        {
            if (data.StartsWith(magic))
                return null;
        }
        return Readable(Encoding.UTF8.GetString(data));
    }

    /// <summary>An even number of hexadecimal digits, all of one case (a mix is more likely base64).</summary>
    private static bool IsHex(string blob) =>
        blob.Length % 2 == 0 && (!blob.AsSpan().ContainsAnyExcept(LowerHex) || !blob.AsSpan().ContainsAnyExcept(UpperHex));

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
    private static readonly System.Buffers.SearchValues<char> UpperHex = System.Buffers.SearchValues.Create("0123456789ABCDEF");

    /// <summary>The hexadecimal blob as text, or null when it is not UTF-8 text (a digest, a key, binary data).</summary>
    internal static string? DecodeHex(string blob)
    {
        var bytes = Convert.FromHexString(blob);
        foreach (var magic in BinaryMagic)
        {
            if (bytes.AsSpan().StartsWith(magic))
                return null;
        }
        return Readable(Encoding.UTF8.GetString(bytes));
    }

    private static string? Readable(string decoded)
    {
        var printable = decoded.Count(c => !char.IsControl(c) || c is '\n' or '\r' or '\t');
        return printable >= decoded.Length * 0.9 && decoded.Count(char.IsLetter) >= decoded.Length * 0.5 ? decoded : null;
    }

    private static bool IsDataImage(string value, int index)
    {
        var from = Math.Max(0, index - 64);
        var before = value.AsSpan(from, index - from);
        var data = before.LastIndexOf("data:", StringComparison.OrdinalIgnoreCase);
        return data >= 0 && before[data..].StartsWith("data:image/", StringComparison.OrdinalIgnoreCase)
               && before.EndsWith(";base64,", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,65536}={0,2}",
                    RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Blob();
}
