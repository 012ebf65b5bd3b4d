using System.Buffers;
using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Commands;

/// <summary>
/// Commands that destroy data in one stroke, in any value an agent sends to a tool: SQL that drops a
/// table, database or schema, empties a table (<c>TRUNCATE</c>, <c>DELETE FROM t</c> with no
/// <c>WHERE</c>) or drops a column; shell commands that delete recursively from the root, the home
/// folder, a system folder or everything in the working folder, format a disk or write over a device,
/// a fork bomb, and a forced push over a shared branch. A recursive delete of an ordinary folder
/// (<c>rm -rf build/</c>) is everyday work and is not reported.
/// </summary>
public sealed partial class DestructiveCommandScanner : IScanner
{
    private const int MinLength = 8;

    // The words every pattern starts with, whatever the case. The patterns run only on a value where
    // one of them stands as a word of its own, followed by whitespace of any kind (mkfs also by a dot):
    // most values hold none, and "form", "address", "delivery" or "details" do not count.
    private static readonly string[] Words =
        ["drop", "truncate", "delete", "alter", "rm", "rmdir", "mkfs", "dd", "--no-preserve-root", ":(", "format", "del", "rd", "remove-item", "git"];

    private static readonly SearchValues<string> Keywords = SearchValues.Create(Words, StringComparison.OrdinalIgnoreCase);

    public string Name => "destructive-command";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Value.Length < MinLength || !HoldsACommandWord(text.Value))
            return;
        foreach (var match in PatternMatches.In(Sql(), text, findings, Name))
            Report(text, findings, FindingKinds.DestructiveSql, match, SqlConfidence(text.Value, match));
        foreach (var match in PatternMatches.In(Shell(), text, findings, Name))
            Report(text, findings, FindingKinds.DestructiveShell, match, match.Groups["push"].Success ? 0.7 : 0.9);
    }

    /// <summary>Whether one of the command words stands as a word of its own somewhere in the value.</summary>
    private static bool HoldsACommandWord(string value)
    {
        for (var from = 0; from < value.Length;)
        {
            var found = value.AsSpan(from).IndexOfAny(Keywords);
            if (found < 0)
                return false;
            var at = from + found;
            if (at == 0 || !IsWordCharacter(value[at - 1]))
            {
                foreach (var word in Words)
                {
                    if (value.AsSpan(at).StartsWith(word, StringComparison.OrdinalIgnoreCase) && EndsTheWord(value, at + word.Length, word))
                        return true;
                }
            }
            from = at + 1;
        }
        return false;
    }

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';

    private static bool EndsTheWord(string value, int end, string word) =>
        word is ":(" or "--no-preserve-root" || end == value.Length || char.IsWhiteSpace(value[end]) || (word == "mkfs" && value[end] == '.');

    private void Report(ScanText text, ICollection<Finding> findings, string kind, Match match, double confidence) =>
        findings.Add(text.Finding(kind, confidence, Excerpts.Phrase(match.Value), match.Index, match.Length, Name));

    /// <summary>Written as SQL (keywords in capitals, or the statement ended by a semicolon): surer than the same words in prose.</summary>
    private static double SqlConfidence(string value, Match match)
    {
        var keyword = match.Value.AsSpan().TrimStart();
        var shouted = keyword.Length >= 4 && char.IsAsciiLetterUpper(keyword[0]) && char.IsAsciiLetterUpper(keyword[1]) && char.IsAsciiLetterUpper(keyword[2]);
        var end = match.Index + match.Length;
        var terminated = value.AsSpan(end).TrimStart().StartsWith(";") || value.AsSpan(match.Index, match.Length).Contains(';');
        return shouted || terminated ? 0.9 : 0.6;
    }

    // DROP TABLE|DATABASE|SCHEMA …, TRUNCATE [TABLE] t, DELETE FROM t with nothing but its end after it,
    // ALTER TABLE t DROP [COLUMN] c.
    [GeneratedRegex("""
        \b(?:
            drop\s+(?:table|database|schema|keyspace|collection)\s+(?:if\s+exists\s+)?[\w."`\[\]]+
          | truncate\s+(?:table\s+)?[\w."`\[\]]+\s*(?:;|$|--)
          | delete\s+from\s+[\w."`\[\]]+\s*(?:;|$|--)
          | alter\s+table\s+[\w."`\[\]]+\s+drop\s+(?:column\s+)?[\w."`\[\]]+
        )
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Sql();

    // rm with recursive and force flags on the root, home, a system folder or a wildcard of the working
    // folder; --no-preserve-root; mkfs on a device; dd onto a disk; a fork bomb; Windows format and
    // recursive deletes of a drive; a forced push to main or master.
    [GeneratedRegex("""
        (?:
            (?<![\w-])rm\s+(?:-{1,2}[\w-]+\s+)*(?:-[a-z]*(?:r[a-z]*f|f[a-z]*r)[a-z]*|-r\s+-f|-f\s+-r|--recursive\s+--force|--force\s+--recursive)\s+(?:-{1,2}[\w-]+\s+)*
                (?:/|/\*|~/?|\$HOME/?|\*|\./?\*?|\.\./?|/(?:etc|usr|var|home|boot|bin|sbin|lib|opt|root|srv|dev|sys|proc)/?)(?=\s|$|;|&|\|)
          | --no-preserve-root\b
          | (?<![\w-])mkfs(?:\.\w+)?\s+(?:-\S+\s+)*/dev/\w+
          | (?<![\w-])dd\s+(?:\S+\s+)*?of=/dev/(?:sd|hd|vd|xvd|nvme|mmcblk|disk)\w*
          | :\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:
          | (?<![\w-])format\s+[a-z]:(?=\s|$)
          | (?<![\w-])(?:rd|rmdir)\s+/s\s+/q\s+[a-z]:\\?(?=\s|$)
          | (?<![\w-])del\s+(?:/[sfq]\s+){2,3}[a-z]:\\(?:\*(?:\.\*)?)?(?=\s|$)
          | remove-item\s+(?:-\w+\s+)*(?:[a-z]:\\|/|~)\S{0,2}\s+(?:-\w+\s+)*-recurse\b
          | (?<push>(?<![\w-])git\s+push\s+(?:\S+\s+)*?(?:--force|-f)(?:\s+\S+)*?\s+(?:\S+\s+)?(?:\+?(?:main|master)|HEAD:(?:main|master))(?=\s|$))
        )
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: PatternMatches.TimeoutMilliseconds)]
    private static partial Regex Shell();
}
