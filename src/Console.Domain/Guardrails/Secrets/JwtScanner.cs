using System.Buffers.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Secrets;

/// <summary>JSON web tokens: three base64url segments whose first decodes to a JSON object with an <c>alg</c>.</summary>
public sealed partial class JwtScanner : IScanner
{
    public string Name => "jwt";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Value.Length < 20 || !text.Contains("ey"))
            return;
        foreach (var match in PatternMatches.In(Pattern(), text, findings, Name))
        {
            if (Algorithm(match.Groups["header"].ValueSpan) is { } alg)
                findings.Add(text.Finding(FindingKinds.Jwt, 0.98, $"JWT alg={alg} ({match.Length} chars)", match.Index, match.Length, Name));
        }
    }

    internal static string? Algorithm(ReadOnlySpan<char> header)
    {
        if (!Base64Url.IsValid(header))
            return null;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(header.Length)];
        if (!Base64Url.TryDecodeFromChars(header, bytes, out var written))
            return null;
        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(0, written));
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String
                ? alg.GetString() is { Length: <= 16 } name && name.All(char.IsAsciiLetterOrDigit) ? name : "?"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?<![\w-])(?<header>ey[A-Za-z0-9_-]{8,2048})\.[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{0,4096}(?![\w-])",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();
}
