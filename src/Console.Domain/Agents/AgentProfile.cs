using System.Text.RegularExpressions;

namespace Warden.Domain.Agents;

/// <summary>Everything about an agent that its owner edits as a whole and attests to.</summary>
public sealed partial record AgentProfile(
    string Name,
    string Purpose,
    string Segment,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ToolDeclaration> Tools,
    IReadOnlyList<ResourceScope> Scopes,
    int RateLimitPerMinute,
    ImpactCaps Caps)
{
    public const int MaxNameLength = 100;
    public const int MaxPurposeLength = 2000;
    public const int MaxTags = 20;
    public const int MaxTools = 100;
    public const int MaxScopes = 100;
    public const int MaxRateLimitPerMinute = 100_000;

    public RiskTier HighestRisk => Tools.Count == 0 ? RiskTier.Low : Tools.Max(t => t.Risk);

    public bool Equals(AgentProfile? other) =>
        other is not null && Name == other.Name && Purpose == other.Purpose && Segment == other.Segment
        && Tags.SequenceEqual(other.Tags) && Tools.SequenceEqual(other.Tools) && Scopes.SequenceEqual(other.Scopes)
        && RateLimitPerMinute == other.RateLimitPerMinute && Caps == other.Caps;

    public override int GetHashCode() => HashCode.Combine(Name, Segment);

    /// <summary>Trims text and puts lists in a stable order, so equal profiles compare equal.</summary>
    public AgentProfile Normalized() => this with
    {
        Name = Name?.Trim() ?? string.Empty,
        Purpose = Purpose?.Trim() ?? string.Empty,
        Segment = Segment?.Trim().ToLowerInvariant() ?? string.Empty,
        Tags = (Tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList(),
        Tools = (Tools ?? []).OrderBy(t => t.Name, StringComparer.Ordinal).ToList(),
        Scopes = (Scopes ?? []).Distinct().OrderBy(s => s.Pattern, StringComparer.Ordinal).ToList(),
        Caps = Caps ?? ImpactCaps.None,
    };

    public Result Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            return AgentErrors.NameRequired;
        if (Name.Length > MaxNameLength)
            return AgentErrors.NameTooLong;
        if (string.IsNullOrWhiteSpace(Purpose))
            return AgentErrors.PurposeRequired;
        if (Purpose.Length > MaxPurposeLength)
            return AgentErrors.PurposeTooLong;
        if (!SlugPattern().IsMatch(Segment ?? string.Empty))
            return AgentErrors.InvalidSegment(Segment);
        if (Tags.Count > MaxTags)
            return AgentErrors.TooMany("tags", MaxTags);
        if (Tags.FirstOrDefault(t => !TagPattern().IsMatch(t)) is { } badTag)
            return AgentErrors.InvalidTag(badTag);
        if (Tools.Count == 0)
            return AgentErrors.ToolsRequired;
        if (Tools.Count > MaxTools)
            return AgentErrors.TooMany("tools", MaxTools);
        foreach (var tool in Tools)
        {
            if (tool.Validate() is { IsFailure: true } failed)
                return failed;
        }
        if (Tools.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            return AgentErrors.DuplicateTool(duplicate.Key);
        if (Scopes.Count > MaxScopes)
            return AgentErrors.TooMany("resource scopes", MaxScopes);
        if (RateLimitPerMinute is < 1 or > MaxRateLimitPerMinute)
            return AgentErrors.InvalidRateLimit;
        return Caps.Validate();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,49}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9:_-]{0,39}$")]
    private static partial Regex TagPattern();
}
