using System.Buffers;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Secrets;

/// <summary>
/// A secret written into free text as a name and a value: <c>password=…</c>, <c>the api_key is …</c>,
/// <c>client_secret: "…"</c>, <c>auth token for the build agent -&gt; …</c>, <c>set the bot token to …</c>. The name must read like a
/// secret (it ends in password, secret, token, a qualified key such as <c>api_key</c> or
/// <c>encryption key</c>, and so on) and the value must look random: passwords need eight characters
/// of three kinds (or ten of two, one a digit); keys and tokens sixteen characters with letters and
/// digits and about 3.5 bits of entropy per character (3 for hex). A bare "key" counts only with an
/// explicit <c>:</c> or <c>=</c> and a longer value, and never for public, primary or object keys.
/// Placeholders and code that reads a secret from elsewhere (<c>&lt;your-key&gt;</c>, <c>${VAR}</c>,
/// <c>YOUR_API_KEY_HERE</c>, <c>xxxx</c>, <c>changeme</c>, <c>os.environ[…]</c>, <c>process.env.X</c>) are not secrets.
/// </summary>
public sealed class KeyValueSecretScanner : IScanner
{
    public const int MinPasswordLength = 8;
    public const int MinTokenLength = 16;
    public const int MinBareKeyLength = 20;
    public const int MaxValueLength = 256;

    private static readonly SearchValues<string> Stems = SearchValues.Create(
        ["pass", "pwd", "secret", "token", "key", "credential", "session", "cookie"], StringComparison.OrdinalIgnoreCase);

    private static readonly string[] NotSecrets =
    [
        "your", "example", "changeme", "change_me", "change-me", "placeholder", "dummy", "redacted", "xxxx", "****", "environ", "process.env",
        "getenv", "secrets.", "here", "sample", "replace", "insert", "todo", "secretref", "vault:",
    ];

    private static readonly HashSet<string> SecretKeyQualifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "unseal", "recovery", "root", "hmac", "webhook", "deploy", "shared", "psk", "session", "bot",
    };

    private static readonly HashSet<string> NonSecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "public", "primary", "foreign", "sort", "partition", "object", "idempotency", "cache", "routing", "row", "composite", "hot", "shortcut",
        "lookup", "dedup", "dedupe", "deduplication", "order", "map", "music",
    };

    // Linear time, and no counted repetitions (the non-backtracking engine unrolls them into states): a name ending in a secret word, an optional closing quote, a separator (":", "=",
    // "->", "is", "to", or a few words and then one of those, or only spaces), an optional opening quote and the value.
    private static readonly Regex Pattern = new("""
        (?i)(?<name>(?:[a-z][a-z0-9]*[ _.-])?[a-z0-9_.-]*(?:password|passwd|passphrase|pass|pwd|secret|token|key|credentials?|sessionid|cookie))\b["'`]?(?:(?<sep>[ \t]*(?::=|=>|->|[:=])[ \t]*|[ \t]+(?:is|was|to|as)(?:[ \t]+now|[ \t]+set[ \t]+to)?[ \t]+)|(?<filler>(?:[ \t]+[a-z0-9._-]+){1,6})(?<sep>[ \t]*(?:=>|->|[:=])[ \t]*|[ \t]+(?:is|was)(?:[ \t]+now)?[ \t]+)|[ \t]+)["'`]?(?<value>[^\s"'`<>,;()\[\]{}]{8,})
        """.Trim(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(PatternMatches.TimeoutMilliseconds));

    // An assignment (NAME=VALUE, name: 'value') keeps symbols a value in prose would end at: brackets,
    // commas and semicolons are part of a password or a framework's secret key there.
    private static readonly Regex Assignment = new("""
        (?i)(?<name>[a-z0-9_.-]*(?:password|passwd|passphrase|pass|pwd|secret|token|key|credentials?))["'`]?[ \t]*(?<sep>[:=])[ \t]*["'`]?(?<value>[^\s"'`]{8,})
        """.Trim(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(PatternMatches.TimeoutMilliseconds));

    // Credentials on a command line: curl's -u user:password, --password value, -p value, and -pvalue
    // after a -u on the same line (as mysql takes it).
    private static readonly Regex CommandLine = new("""
        (?:^|\s)(?:(?:-u|--user)[ \t]+[^\s:'"]+:(?<value>[^\s'"]{6,})|(?:--password|--passwd|--pass|-p)(?:[ \t]+|=)['"]?(?<value>[^\s'"]{8,})|-p(?<attached>[^\s'"-][^\s'"]{7,}))
        """.Trim(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromMilliseconds(PatternMatches.TimeoutMilliseconds));

    // The linear-time engine builds its automata while matching: the first texts cost far more than later
    // ones and could run into the match timeout on a loaded machine, so a few are read once here.
    static KeyValueSecretScanner()
    {
        foreach (var regex in new[] { Pattern, Assignment, CommandLine })
        {
            try
            {
                _ = regex.Count("curl -u ops:Xy7pQ2 the api_key is: Qm7xT2vLp9Rk\nDB_PASSWORD='h(7)!Kq2z' mysql -u app -pLm4 --password=Zt5 -p 8080:80");
            }
            catch (RegexMatchTimeoutException)
            {
                // A loaded machine at start-up: the first requests build the automata instead.
            }
        }
    }

    public string Name => "key-value-secret";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Value.Length < 12)
            return;
        if (text.Contains(" -"))
            ScanCommandLine(text, findings);
        if (!text.Value.AsSpan().ContainsAny(Stems))
            return;
        foreach (var match in PatternMatches.In(Pattern, text, findings, Name))
        {
            var value = match.Groups["value"];
            var candidate = value.Value.TrimEnd('.', ':');
            if (candidate.Length > MaxValueLength)
                continue;
            var separator = match.Groups["sep"].ValueSpan.Trim();
            var kind = Classify(match.Groups["name"].Value, !match.Groups["filler"].Success && separator is ":" or "=" or ":=");
            if (kind == NameKind.None || (!match.Groups["sep"].Success && match.Groups["filler"].Success) || !LooksSecret(candidate, kind))
                continue;
            if (AlreadyFound(findings, text, value.Index))
                continue;
            findings.Add(text.Finding(FindingKinds.KeyValue, kind == NameKind.BareKey ? 0.7 : 0.85,
                $"'{Excerpts.Phrase(match.Groups["name"].Value.Trim())}' with a {candidate.Length}-char value, {Entropy.BitsPerChar(candidate):F1} bits/char",
                value.Index, candidate.Length, Name));
        }
        if (text.Contains('=') || text.Contains(':'))
            ScanAssignments(text, findings);
    }

    private void ScanAssignments(ScanText text, ICollection<Finding> findings)
    {
        foreach (var match in PatternMatches.In(Assignment, text, findings, Name))
        {
            var value = match.Groups["value"];
            var candidate = value.Value.TrimEnd('.', ':', ',', ';');
            // Only names that read as secrets alone: a bare "key" is judged with the words before it, above.
            var kind = Classify(match.Groups["name"].Value, bareKeyAllowed: false);
            if (candidate.Length > MaxValueLength || kind == NameKind.None || !LooksSecret(candidate, kind) || AlreadyFound(findings, text, value.Index))
                continue;
            findings.Add(text.Finding(FindingKinds.KeyValue, 0.85,
                $"'{Excerpts.Phrase(match.Groups["name"].Value.Trim())}' assigned a {candidate.Length}-char value, {Entropy.BitsPerChar(candidate):F1} bits/char",
                value.Index, candidate.Length, Name));
        }
    }

    private void ScanCommandLine(ScanText text, ICollection<Finding> findings)
    {
        foreach (var match in PatternMatches.In(CommandLine, text, findings, Name))
        {
            var attached = match.Groups["attached"];
            var value = attached.Success ? attached : match.Groups["value"];
            if (attached.Success && !HasUserOption(text.Value.AsSpan(0, match.Index)))
                continue;
            var candidate = value.Value;
            // Paths and ports follow -p too (mkdir -p, docker -p): a password has letters and digits and is no path.
            if (candidate.Length > MaxValueLength || !candidate.Any(char.IsAsciiLetter) || !candidate.Any(char.IsAsciiDigit) || candidate.Contains('/')
                || candidate[0] is '.' or '~' or '$' or '%'
                || !LooksSecret(candidate, NameKind.Password) || AlreadyFound(findings, text, value.Index))
                continue;
            findings.Add(text.Finding(FindingKinds.KeyValue, 0.8,
                $"a {candidate.Length}-char password on a command line, {Entropy.BitsPerChar(candidate):F1} bits/char", value.Index, candidate.Length, Name));
        }
    }

    private static bool HasUserOption(ReadOnlySpan<char> before) =>
        before.Contains(" -u ", StringComparison.Ordinal) || before.Contains(" --user", StringComparison.Ordinal);

    internal enum NameKind { None, Password, Secret, BareKey }

    internal static NameKind Classify(string name, bool bareKeyAllowed)
    {
        var words = name.Split([' ', '_', '-', '.'], StringSplitOptions.RemoveEmptyEntries);
        var last = words.Length == 0 ? string.Empty : words[^1];
        switch (HighEntropyScanner.Classify(name.Trim()))
        {
            case HighEntropyScanner.FieldKind.Password:
                return NameKind.Password;
            case HighEntropyScanner.FieldKind.Secret:
                return NameKind.Secret;
        }
        if (last.EndsWith("password", StringComparison.OrdinalIgnoreCase) || last.EndsWith("passwd", StringComparison.OrdinalIgnoreCase))
            return NameKind.Password;
        if (last.EndsWith("secret", StringComparison.OrdinalIgnoreCase) || last.EndsWith("token", StringComparison.OrdinalIgnoreCase))
            return NameKind.Secret;
        var qualifier = words.Length > 1 ? words[^2] : string.Empty;
        if (last.Equals("key", StringComparison.OrdinalIgnoreCase) && SecretKeyQualifiers.Contains(qualifier))
            return NameKind.Secret;
        return bareKeyAllowed && last.Equals("key", StringComparison.OrdinalIgnoreCase) && !NonSecretKeys.Contains(qualifier) ? NameKind.BareKey : NameKind.None;
    }

    internal static bool LooksSecret(string value, NameKind kind)
    {
        if (ConnectionStringScanner.IsPlaceholder(value) || Array.Exists(NotSecrets, n => value.Contains(n, StringComparison.OrdinalIgnoreCase))
            || IsAnotherAssignment(value))
            return false;
        bool lower = false, upper = false, digit = false, symbol = false, hex = true;
        foreach (var c in value)
        {
            lower |= char.IsAsciiLetterLower(c);
            upper |= char.IsAsciiLetterUpper(c);
            digit |= char.IsAsciiDigit(c);
            symbol |= !char.IsAsciiLetterOrDigit(c);
            hex &= char.IsAsciiHexDigit(c) || c == '-';
        }
        var classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0);
        var bits = Entropy.BitsPerChar(value);
        if (kind == NameKind.Password)
            return value.Length >= MinPasswordLength && bits >= 2.5 && (classes >= 3 || (classes == 2 && digit && value.Length >= 10));
        var minLength = kind == NameKind.BareKey ? MinBareKeyLength : MinTokenLength;
        if (value.Length < minLength || !digit || !(lower || upper))
            return false;
        if (kind == NameKind.BareKey && IsUuid(value))
            return false;
        return hex ? bits >= HighEntropyScanner.HexBits : bits >= HighEntropyScanner.TokenBits;
    }

    // "report: input_tokens=5120" reads the next name and value, not a secret: a value that starts with a
    // name of three or more letters and '=' is another assignment.
    private static bool IsAnotherAssignment(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        return equals >= 3 && equals < value.Length - 1 && value.AsSpan(0, equals).ContainsAnyExcept(NameCharacters) is false;
    }

    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");

    private static bool IsUuid(string value) => value.Length == 36 && Guid.TryParseExact(value, "D", out _);

    private static bool AlreadyFound(ICollection<Finding> findings, ScanText text, int index)
    {
        foreach (var finding in findings)
        {
            if (finding.Family == FindingKinds.SecretFamily && finding.Location == text.Location
                && finding.Start <= index && index < finding.Start + Math.Max(finding.Length, 1))
                return true;
        }
        return false;
    }
}
