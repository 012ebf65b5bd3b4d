using System.Buffers;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Secrets;

/// <summary>
/// Provider keys with a recognisable shape: AWS access key ids and secret keys, GCP service-account
/// private keys, Google API keys, Azure storage account keys, GitHub, GitLab, Slack, Stripe live,
/// Twilio, npm, OpenAI and Anthropic keys.
/// Stripe test keys (<c>sk_test_</c>) are not secrets.
/// </summary>
public sealed partial class CloudKeyScanner : IScanner
{
    // Every shape below starts with (or holds) one of these, so a text without any is skipped without running the pattern.
    private static readonly SearchValues<string> Markers = SearchValues.Create(
        ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA", "ABIA", "ACCA", "ecret_access", "ECRET_ACCESS", "ecretAccess", "ecretaccess",
         "\"private_key\"", "AIza", "AccountKey=", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "k_live_", "npm_", "glpat-", "sk-", "SK"],
        StringComparison.Ordinal);

    public string Name => "cloud-key";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Value.Length < 20)
            return;
        if (string.Equals(text.FieldName, "private_key", StringComparison.Ordinal) && text.Contains("PRIVATE KEY-----"))
            findings.Add(text.Finding(FindingKinds.CloudKey, 0.95, "GCP service-account private_key", 0, text.Value.Length, Name));
        if (!text.Value.AsSpan().ContainsAny(Markers))
            return;
        foreach (var match in PatternMatches.In(Pattern(), text, findings, Name))
        {
            var (provider, keep) = Provider(match);
            findings.Add(text.Finding(FindingKinds.CloudKey, 0.95, $"{provider}: {Excerpts.Prefixed(match.Value, keep)}", match.Index, match.Length, Name));
        }
    }

    private static (string Provider, int Keep) Provider(Match match) =>
        match.Groups["aws"].Success ? ("AWS access key id", 4)
        : match.Groups["awssecret"].Success ? ("AWS secret access key", 0)
        : match.Groups["gcp"].Success ? ("GCP service-account private_key", 0)
        : match.Groups["google"].Success ? ("Google API key", 4)
        : match.Groups["azure"].Success ? ("Azure storage AccountKey", 11)
        : match.Groups["github"].Success ? ("GitHub token", 4)
        : match.Groups["slack"].Success ? ("Slack token", 5)
        : match.Groups["stripe"].Success ? ("Stripe live key", 8)
        : match.Groups["twilio"].Success ? ("Twilio API key", 2)
        : match.Groups["npm"].Success ? ("npm token", 4)
        : match.Groups["gitlab"].Success ? ("GitLab token", 6)
        : ("OpenAI or Anthropic API key", 3);

    [GeneratedRegex("""
        (?<aws>(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9]))
        |(?<awssecret>(?i:aws_?secret_?access_?key)["']?\s{0,4}[:=]\s{0,4}["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+]))
        |(?<gcp>"private_key"\s{0,4}:\s{0,4}"-----BEGIN)
        |(?<google>(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-]))
        |(?<azure>AccountKey=[A-Za-z0-9+/]{40,100}={0,2})
        |(?<github>(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,255}))
        |(?<slack>(?<![\w])xox[abposre]-[A-Za-z0-9-]{10,250})
        |(?<stripe>(?<![\w])[sr]k_live_[A-Za-z0-9]{16,250})
        |(?<twilio>(?<![\w])SK[0-9a-fA-F]{32}(?![\w]))
        |(?<npm>(?<![\w])npm_[A-Za-z0-9]{36}(?![\w]))
        |(?<gitlab>(?<![\w])glpat-[A-Za-z0-9_-]{20,50})
        |(?<openai>(?<![\w])sk-(?:proj-|ant-(?:api|admin)\d{2}-)?[A-Za-z0-9_-]{32,250})
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture,
        matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();
}
