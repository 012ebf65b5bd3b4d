using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Secrets;

/// <summary>PEM and PGP private-key blocks (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted); a header alone is enough.</summary>
public sealed partial class PrivateKeyScanner : IScanner
{
    public string Name => "private-key";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("-----BEGIN"))
            return;
        foreach (var match in PatternMatches.In(Begin(), text, findings, Name))
        {
            var end = text.Value.IndexOf("-----END", match.Index + match.Length, StringComparison.Ordinal);
            var close = end < 0 ? -1 : text.Value.IndexOf("-----", end + 8, StringComparison.Ordinal);
            var length = close < 0 ? match.Length : close + 5 - match.Index;
            var label = match.Value.Trim('-')["BEGIN ".Length..];
            findings.Add(text.Finding(FindingKinds.PrivateKey, close < 0 ? 0.95 : 0.99, $"PEM {label} ({length} chars)", match.Index, length, Name));
        }
    }

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----",
                    RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Begin();
}
