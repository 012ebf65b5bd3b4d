using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails;

/// <summary>
/// Runs a pattern over a text with its match timeout. A timeout becomes a
/// <see cref="FindingKinds.ScanTimeout"/> finding (the value is unchecked, so the policy fails
/// closed) instead of an exception.
/// </summary>
public static class PatternMatches
{
    public const int TimeoutMilliseconds = 100;

    /// <summary>Calls <paramref name="onMatch"/> for each match; returns false if the pattern timed out.</summary>
    public static bool Each(Regex pattern, ScanText text, ICollection<Finding> findings, string scanner, Action<Match> onMatch)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(onMatch);
        try
        {
            for (var match = pattern.Match(text.Value); match.Success; match = match.NextMatch())
                onMatch(match);
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            findings.Add(TimedOut(text, scanner));
            return false;
        }
    }

    /// <summary>
    /// The matches of <paramref name="pattern"/> in <paramref name="text"/>, for a <c>foreach</c> without
    /// allocating a callback; a timeout ends the loop and leaves a <see cref="FindingKinds.ScanTimeout"/> finding.
    /// </summary>
    public static MatchLoop In(Regex pattern, ScanText text, ICollection<Finding> findings, string scanner) => new(pattern, text, findings, scanner, text?.Value);

    /// <summary>As <see cref="In(Regex, ScanText, ICollection{Finding}, string)"/>, over the text with full-width letters folded (<see cref="ScanText.Folded"/>).</summary>
    public static MatchLoop InFolded(Regex pattern, ScanText text, ICollection<Finding> findings, string scanner) => new(pattern, text, findings, scanner, text?.Folded);

    public static Finding TimedOut(ScanText text, string scanner)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Finding(FindingKinds.ScanTimeout, 1.0, $"{scanner} ran out of time on {text.Value.Length} chars", 0, 0, scanner);
    }

    public struct MatchLoop(Regex pattern, ScanText text, ICollection<Finding> findings, string scanner, string? input)
    {
        private Match? _current;

        public readonly MatchLoop GetEnumerator() => this;

        public readonly Match Current => _current!;

        public bool MoveNext()
        {
            try
            {
                _current = _current is null ? pattern.Match(input ?? string.Empty) : _current.NextMatch();
                return _current.Success;
            }
            catch (RegexMatchTimeoutException)
            {
                findings.Add(TimedOut(text, scanner));
                return false;
            }
        }
    }
}
