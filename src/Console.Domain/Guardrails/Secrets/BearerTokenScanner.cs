using System.Text;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Secrets;

/// <summary>
/// Credentials in HTTP authorization form: <c>Bearer &lt;token&gt;</c>, and <c>Basic &lt;base64 of user:password&gt;</c>.
/// "The bearer of this letter" is not a token: the token must be long, token-shaped and varied.
/// </summary>
public sealed partial class BearerTokenScanner : IScanner
{
    public string Name => "bearer";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Value.Length < 20 || (!text.Contains("earer") && !text.Contains("asic ")))
            return;
        foreach (var match in PatternMatches.In(Pattern(), text, findings, Name))
        {
            var token = match.Groups["token"].Value;
            var basic = match.Groups["scheme"].ValueSpan.SequenceEqual("Basic");
            if (basic ? IsBasicCredential(token) : IsTokenShaped(token))
                findings.Add(text.Finding(FindingKinds.Bearer, 0.95, $"{match.Groups["scheme"].Value} {Excerpts.Prefixed(token, 3)}", match.Index, match.Length, Name));
        }
    }

    private static bool IsTokenShaped(string token) =>
        token.Any(c => char.IsAsciiDigit(c) || c is '.' or '_' or '-' or '~' or '+' or '/') && Entropy.BitsPerChar(token) >= 3.0;

    private static bool IsBasicCredential(string token)
    {
        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var written))
            return false;
        var decoded = Encoding.UTF8.GetString(bytes, 0, written);
        return decoded.IndexOf(':', StringComparison.Ordinal) > 0 && decoded.All(c => !char.IsControl(c));
    }

    [GeneratedRegex(@"(?<![\w-])(?<scheme>[Bb]earer|BEARER|Basic)\s{1,4}(?<token>[A-Za-z0-9._~+/-]{16,4096}=*)",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();
}
