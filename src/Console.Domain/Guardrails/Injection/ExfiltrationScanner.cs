using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Injection;

/// <summary>
/// Links that would carry data to a host outside the allowed list: a markdown image with a query
/// string (rendering it sends the request), or a URL whose query holds an encoded value, an e-mail
/// address or a parameter named like data. A search link with a short query is not exfiltration.
/// </summary>
public sealed partial class ExfiltrationScanner(IReadOnlyCollection<string> allowedHosts) : IScanner
{
    public const int EncodedValueLength = 16;

    private static readonly HashSet<string> DataParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "data", "d", "payload", "p", "secret", "token", "key", "pw", "pwd", "password", "cookie", "session", "content", "msg", "exfil",
        "leak", "info", "c", "q64", "b64", "dump", "history", "conversation", "chat", "prompt",
    };

    public string Name => "exfiltration";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("://") || !text.Contains('?'))
            return;
        foreach (var match in PatternMatches.In(Link(), text, findings, Name))
        {
            var host = match.Groups["host"].Value.TrimEnd('.').ToLowerInvariant();
            if (IsAllowed(host))
                continue;
            var image = match.Groups["image"].Success;
            var query = match.Groups["query"].Value;
            var carries = CarriesData(query);
            var confidence = image ? (carries ? 0.9 : 0.6) : carries ? 0.75 : 0.0;
            if (confidence > 0)
                findings.Add(text.Finding(FindingKinds.Exfiltration, confidence, $"{(image ? "image " : string.Empty)}https://{host}/…?… ({query.Length} chars of query)",
                                          match.Index, match.Length, Name));
        }
    }

    private bool IsAllowed(string host)
    {
        foreach (var allowed in allowedHosts)
        {
            if (host.Equals(allowed, StringComparison.OrdinalIgnoreCase)
                || (host.EndsWith(allowed, StringComparison.OrdinalIgnoreCase) && host[^(allowed.Length + 1)] == '.'))
                return true;
        }
        return false;
    }

    private static bool CarriesData(string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? string.Empty : pair[..equals];
            var value = Uri.UnescapeDataString(equals < 0 ? pair : pair[(equals + 1)..]);
            if (value.Contains('@', StringComparison.Ordinal) || (DataParameters.Contains(name) && value.Length >= 4) || LooksEncoded(value))
                return true;
        }
        return false;
    }

    private static bool LooksEncoded(string value) =>
        value.Length >= EncodedValueLength && value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetter) && !value.Contains(' ', StringComparison.Ordinal)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '_' or '-' or '.');

    [GeneratedRegex(@"(?<image>!\[[^\]\n]{0,200}\]\(\s{0,4})?https?://(?<host>[A-Za-z0-9.-]{1,253})(?::\d{1,5})?(?:/[^\s?#""'<>()]{0,2048})?\?(?<query>[^\s#""'<>()]{1,8192})",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Link();
}
