using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Packs;

/// <summary>
/// Runs the patterns of one family of a pack (injection phrases, or an officer's custom personal-data
/// patterns) in one pass over each text.
/// </summary>
public sealed class PackScanner : IScanner
{
    private readonly IReadOnlyList<PatternGroup> _combined;
    private const int MinCustomLength = 6;
    private readonly bool _phrases;

    /// <param name="phrases">True for free-text phrases: texts of fewer than three words are skipped and quoted discussion lowers confidence.</param>
    public PackScanner(string name, IReadOnlyList<PackPattern> patterns, bool phrases)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        Name = name;
        _phrases = phrases;
        _combined = PatternPack.Combine(patterns);
    }

    public string Name { get; }

    /// <summary>True for injection phrases: their findings are never personal data or secrets.</summary>
    public bool IsPhrases => _phrases;

    public static PackScanner InjectionPhrases(PatternPack pack) =>
        new("injection-phrases", (pack ?? throw new ArgumentNullException(nameof(pack))).OfFamily(FindingKinds.InjectionFamily + "."), phrases: true);

    public static PackScanner CustomPersonalData(PatternPack pack) =>
        new("custom-pii", (pack ?? throw new ArgumentNullException(nameof(pack))).OfFamily(FindingKinds.CustomPiiPrefix), phrases: false);

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_phrases ? text.Spaces < 2 : text.Value.Length < MinCustomLength)
            return;
        foreach (var group in _combined)
        {
            // Phrases are also read through full-width letters (ｉｇｎｏｒｅ ａｌｌ ｐｒｅｖｉｏｕｓ…), which models read as ASCII.
            var matches = _phrases ? PatternMatches.InFolded(group.Joined, text, findings, Name) : PatternMatches.In(group.Joined, text, findings, Name);
            foreach (var match in matches)
                Report(text, findings, group, match);
        }
    }

    private void Report(ScanText text, ICollection<Finding> findings, PatternGroup group, Match match)
    {
        var pattern = Identify(group, match.Value);
        if (pattern is null || AlreadyReported(findings, text, pattern, match))
            return;
        var confidence = _phrases ? QuotedDiscussion.Adjust(text.Folded, match.Index, match.Length, pattern.Confidence) : pattern.Confidence;
        var excerpt = _phrases ? Excerpts.Phrase(match.Value) : Excerpts.Prefixed(match.Value, 0);
        findings.Add(text.Finding(pattern.Kind, confidence, excerpt, match.Index, match.Length, Name) with { PatternId = pattern.Id });
    }

    // Two joined groups can match the same words (a named persona after "you are now" is also a persona
    // switch): one finding of a kind for one span is enough, named by the pattern listed first.
    private static bool AlreadyReported(ICollection<Finding> findings, ScanText text, PackPattern pattern, Match match)
    {
        foreach (var finding in findings)
        {
            if (finding.Start == match.Index && finding.Length == match.Length && finding.Kind == pattern.Kind && finding.Location == text.Location)
                return true;
        }
        return false;
    }

    /// <summary>Matches in <paramref name="text"/> (for example decoded payloads), without locations.</summary>
    public IEnumerable<PackPattern> Matching(string text)
    {
        foreach (var group in _combined)
        {
            for (var match = group.Joined.Match(text); match.Success; match = match.NextMatch())
            {
                if (Identify(group, match.Value) is { } pattern)
                    yield return pattern;
            }
        }
    }

    // Only the patterns of the group that matched are asked, each a cold automaton on its first texts.
    private static PackPattern? Identify(PatternGroup group, string matched)
    {
        foreach (var pattern in group.Patterns)
        {
            if (pattern.Regex.IsMatch(matched))
                return pattern;
        }
        return null;
    }
}
