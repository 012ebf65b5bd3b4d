using System.Collections.Concurrent;

namespace Warden.Domain.Guardrails.Secrets;

/// <summary>
/// Random-looking values in fields named like secrets (<c>password</c>, <c>client_secret</c>,
/// <c>apiKey</c>, <c>refresh_token</c>). Words, sentences and placeholders are not secrets.
/// </summary>
public sealed class HighEntropyScanner : IScanner
{
    public const double PasswordBits = 3.0;
    private const int MaxCachedFields = 10_000;
    public const double TokenBits = 3.5;
    /// <summary>Hex has 16 symbols, so a random hex key tops out at 4 bits per character.</summary>
    public const double HexBits = 3.0;

    private static readonly HashSet<string> PasswordWords = new(StringComparer.OrdinalIgnoreCase) { "password", "passwd", "pwd", "passphrase", "pass", "pin" };
    private static readonly HashSet<string> SecretWords = new(StringComparer.OrdinalIgnoreCase) { "secret", "token", "apikey", "credential", "credentials", "auth", "cookie", "sessionid" };
    private static readonly HashSet<string> KeyQualifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "api", "access", "secret", "private", "signing", "encryption", "master", "client", "auth", "account", "storage", "subscription",
    };

    private static readonly ConcurrentDictionary<string, FieldKind> Classified = new(StringComparer.Ordinal);

    public string Name => "high-entropy";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.IsPropertyName || text.FieldName is not { } field || text.Value.Length < 12 || text.Value.Length > 4096 || text.Spaces > 0)
            return;
        var fieldKind = Classified.Count < MaxCachedFields ? Classified.GetOrAdd(field, Classify) : Classify(field);
        if (fieldKind == FieldKind.None || ConnectionStringScanner.IsPlaceholder(text.Value))
            return;
        var bits = Entropy.BitsPerChar(text.Value);
        var (minLength, minBits) = fieldKind == FieldKind.Password ? (12, PasswordBits)
            : text.Value.All(char.IsAsciiHexDigit) ? (16, HexBits) : (16, TokenBits);
        if (text.Value.Length >= minLength && bits >= minBits)
            findings.Add(text.Finding(FindingKinds.HighEntropy, 0.85, $"{text.Value.Length} chars, {bits:F1} bits/char in '{field}'", 0, text.Value.Length, Name));
    }

    internal enum FieldKind { None, Password, Secret }

    internal static FieldKind Classify(string field)
    {
        var words = Words(field);
        if (words.Count == 0)
            return FieldKind.None;
        var last = words[^1];
        if (PasswordWords.Contains(last))
            return FieldKind.Password;
        if (SecretWords.Contains(last))
            return FieldKind.Secret;
        return last.Equals("key", StringComparison.OrdinalIgnoreCase) && words.Count > 1 && KeyQualifiers.Contains(words[^2])
            ? FieldKind.Secret
            : FieldKind.None;
    }

    // "clientSecret", "client_secret", "x-api-key" and "API_KEY" all end in a secret word.
    private static List<string> Words(string field)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 0; i <= field.Length; i++)
        {
            var boundary = i == field.Length || field[i] is '_' or '-' or '.' or ' '
                           || (i > start && char.IsUpper(field[i]) && char.IsLower(field[i - 1]));
            if (!boundary)
                continue;
            if (i > start)
                words.Add(field[start..i]);
            start = i < field.Length && field[i] is '_' or '-' or '.' or ' ' ? i + 1 : i;
        }
        return words;
    }
}
