using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Secrets;

/// <summary>
/// Connection strings that carry a password: <c>Server=…;Password=…</c> and URLs with credentials
/// (<c>postgres://user:pass@host</c>, <c>https://host/login?password=…</c>). Placeholders (<c>${DB_PASSWORD}</c>, <c>&lt;password&gt;</c>, <c>***</c>) are not secrets.
/// </summary>
public sealed partial class ConnectionStringScanner : IScanner
{
    public string Name => "connection-string";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Value.Length < 10)
            return;
        if (text.Contains('=') && KeyValueContext().IsMatch(text.Value))
        {
            foreach (var match in PatternMatches.In(KeyValue(), text, findings, Name))
                Report(text, findings, match, "Password=•••");
        }
        if (text.Contains("://") && text.Contains('@'))
        {
            foreach (var match in PatternMatches.In(UrlCredentials(), text, findings, Name))
                Report(text, findings, match, $"{match.Groups["scheme"].Value}://{match.Groups["user"].Value[..1]}•••:•••@");
        }
        if (text.Contains("://") && text.Contains('?'))
        {
            foreach (var match in PatternMatches.In(QueryPassword(), text, findings, Name))
                Report(text, findings, match, "?password=•••");
        }
    }

    private void Report(ScanText text, ICollection<Finding> findings, Match match, string excerpt)
    {
        if (!IsPlaceholder(match.Groups["pw"].Value))
            findings.Add(text.Finding(FindingKinds.ConnectionString, 0.95, excerpt, match.Index, match.Length, Name));
    }

    public static bool IsPlaceholder(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim().Trim('\'', '"');
        return v.Length == 0 || v[0] is '$' or '{' or '<' or '[' || (v[0] == '%' && (v[^1] == '%' || (v.Length > 1 && v[1] == '('))) || v.All(c => c is '*' or 'x' or 'X' or '•' or '.' or '#')
               || v.Equals("password", StringComparison.OrdinalIgnoreCase) || v.Equals("pass", StringComparison.OrdinalIgnoreCase)
               || v.Equals("secret", StringComparison.OrdinalIgnoreCase) || v.Equals("redacted", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"(?i)(?:^|[;\s""'])(?:server|host|data source|address|addr|user id|uid|username|database|initial catalog|endpoint)\s{0,4}=",
                    RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex KeyValueContext();

    [GeneratedRegex(@"(?i)(?<![\w])(?:password|pwd)\s{0,4}=\s{0,4}(?<pw>'[^']{1,256}'|""[^""]{1,256}""|[^;""'\s]{1,256})",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"(?i)[?&;](?:password|passwd|pwd|pass)=(?<pw>[^&#\s""']{1,256})",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex QueryPassword();

    [GeneratedRegex(@"(?i)(?<![\w+.-])(?<scheme>[a-z][a-z0-9+.-]{1,20})://(?<user>[^:@/\s""']{1,128}):(?<pw>[^@/\s""']{1,256})@[\w.-]",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex UrlCredentials();
}
