using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>E-mail addresses, also spelled out ("name at example dot com"); not file names such as <c>icon@2x.png</c>, SSH remotes (<c>git@host:repo</c>) or URL credentials.</summary>
public sealed partial class EmailScanner : IScanner
{
    private static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "ts", "json", "txt", "pdf", "mp4",
    };

    public string Name => "email";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('@'))
            Plain(text, findings);
        if (text.Spaces >= 2 && (text.Value.Contains(" at ", StringComparison.OrdinalIgnoreCase) || text.Value.Contains("[at]", StringComparison.OrdinalIgnoreCase)
                                 || text.Value.Contains("(at)", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var match in PatternMatches.In(Spelled(), text, findings, Name))
                findings.Add(text.Finding(FindingKinds.Email, 0.7, $"{match.Value[0]}••• at ••• (spelled out)", match.Index, match.Length, Name));
        }
    }

    private void Plain(ScanText text, ICollection<Finding> findings)
    {
        foreach (var match in PatternMatches.In(Pattern(), text, findings, Name))
        {
            var value = text.Value;
            var end = match.Index + match.Length;
            if (FileExtensions.Contains(match.Groups["tld"].Value) || IsSshRemote(value, end) || IsUrlUserInfo(value, match.Index))
                continue;
            findings.Add(text.Finding(FindingKinds.Email, 0.95, Excerpts.Email(match.Value), match.Index, match.Length, Name));
        }
    }

    // "git@github.com:org/repo.git": a colon straight after the host, followed by a path. "olivia@example.com: hi" is an address.
    private static bool IsSshRemote(string value, int end) =>
        end + 1 < value.Length && value[end] == ':' && !char.IsWhiteSpace(value[end + 1]) && value[end + 1] is not ('"' or '\'' or ')' or ',' or '.');

    // "postgres://user:pw@host": the part between "://" and the match has no path, query or fragment yet.
    private static bool IsUrlUserInfo(string value, int index)
    {
        var tokenStart = value.LastIndexOfAny([' ', '\n', '\t', '"', '\'', '<', '('], Math.Max(0, index - 1)) + 1;
        var token = value.AsSpan(tokenStart, index - tokenStart);
        var scheme = token.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && token[(scheme + 3)..].IndexOfAny("/?#&=") < 0;
    }

    // "olivia dot smith at example dot com", "bob [at] example [dot] org": only with a common top-level domain.
    [GeneratedRegex(@"(?i)\b[a-z0-9._%+-]{1,64}(?:\s{1,3}dot\s{1,3}[a-z0-9_%+-]{1,64}){0,3}\s{0,3}(?:\[at\]|\(at\)|\sat\s)\s{0,3}[a-z0-9-]{1,63}(?:\s{0,3}(?:\[dot\]|\(dot\)|\sdot\s)\s{0,3}[a-z0-9-]{1,63}){0,3}\s{0,3}(?:\[dot\]|\(dot\)|\sdot\s)\s{0,3}(?:com|org|net|io|de|uk|fr|es|it|nl|eu|edu|gov|info|biz|co|ch|at|be|ca|au)\b",
                    RegexOptions.CultureInvariant, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Spelled();

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}(?<tld>[A-Za-z]{2,24})(?![A-Za-z0-9-])",
                    RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Pattern();
}
