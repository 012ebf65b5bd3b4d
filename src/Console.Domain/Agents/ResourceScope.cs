namespace Warden.Domain.Agents;

/// <summary>
/// An allowlist pattern over slash-separated resource paths: <c>*</c> stands for one whole segment,
/// <c>**</c> (last segment only) for any remainder. <c>crm/accounts/*</c> allows
/// <c>crm/accounts/42</c> but not <c>crm/accounts/42/notes</c>. A resource with a dot segment
/// (<c>.</c>, <c>..</c>, also percent-encoded) or a backslash matches no pattern: the tool could resolve
/// it outside the pattern (<c>crm/x/../../secrets</c> is not under <c>crm/**</c>).
/// </summary>
public sealed record ResourceScope
{
    public const int MaxLength = 200;

    private ResourceScope(string pattern, string[] segments)
    {
        Pattern = pattern;
        _segments = segments;
    }

    private readonly string[] _segments;

    public string Pattern { get; }

    public static Result<ResourceScope> Create(string? pattern)
    {
        var text = pattern?.Trim() ?? string.Empty;
        if (text.Length is 0 or > MaxLength)
            return AgentErrors.InvalidScope(pattern, $"a pattern has 1 to {MaxLength} characters");
        var segments = text.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment == "**" && i != segments.Length - 1)
                return AgentErrors.InvalidScope(pattern, "'**' may only be the last segment");
            if (segment is "*" or "**")
                continue;
            if (segment.Length == 0 || !segment.All(IsSegmentChar))
                return AgentErrors.InvalidScope(pattern, "segments are letters, digits, '-', '_', '.', or a whole '*'");
        }
        return new ResourceScope(text, segments);
    }

    public bool Matches(string resource)
    {
        var parts = resource.Split('/');
        if (Array.Exists(parts, Escapes))
            return false;
        for (var i = 0; i < _segments.Length; i++)
        {
            if (_segments[i] == "**")
                return parts.Length > i;
            if (i >= parts.Length || parts[i].Length == 0)
                return false;
            if (_segments[i] != "*" && !string.Equals(_segments[i], parts[i], StringComparison.Ordinal))
                return false;
        }
        return parts.Length == _segments.Length;
    }

    /// <summary>
    /// True when the pattern names no resource at all: every segment is a wildcard (<c>**</c>, <c>*</c>,
    /// <c>*/**</c>, <c>*/*</c>, …), or the text is only slashes and wildcards (<c>/**</c>, <c>**/</c>).
    /// </summary>
    public static bool MatchesEverything(string? pattern)
    {
        var segments = (pattern ?? string.Empty).Trim().Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return segments.All(s => s.Length > 0 && s.All(c => c == '*'));
    }

    /// <summary>
    /// True only when every resource <paramref name="other"/> matches is provably matched by this pattern too;
    /// anything this cannot prove counts as not covered.
    /// </summary>
    public bool Covers(ResourceScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var theirs = other._segments;
        for (var i = 0; i < _segments.Length; i++)
        {
            if (_segments[i] == "**")
                return theirs.Length > i;
            if (i >= theirs.Length || theirs[i] == "**")
                return false;
            if (_segments[i] != "*" && (theirs[i] == "*" || !string.Equals(_segments[i], theirs[i], StringComparison.Ordinal)))
                return false;
        }
        return theirs.Length == _segments.Length;
    }

    public bool Equals(ResourceScope? other) => other is not null && other.Pattern == Pattern;

    public override int GetHashCode() => Pattern.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Pattern;

    /// <summary>
    /// True for a segment a tool could read as a step up or across the tree: <c>.</c> or <c>..</c>, a
    /// backslash, or a percent-encoded dot, slash or backslash.
    /// </summary>
    private static bool Escapes(string part)
    {
        if (part is "." or "..")
            return true;
        if (part.Contains('\\', StringComparison.Ordinal))
            return true;
        if (!part.Contains('%', StringComparison.Ordinal))
            return false;
        var decoded = Uri.UnescapeDataString(part);
        return decoded is "." or ".." || decoded.Contains('/', StringComparison.Ordinal) || decoded.Contains('\\', StringComparison.Ordinal) || decoded.Contains('%', StringComparison.Ordinal);
    }

    private static bool IsSegmentChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
