using Warden.Domain.Guardrails.Packs;

namespace Warden.Domain.Guardrails;

/// <summary>What the scanners read and with which patterns.</summary>
public sealed record GuardrailOptions
{
    public const int DefaultMaxCharacters = 64 * 1024;
    public const int DefaultMaxStrings = 4_096;

    /// <summary>Characters read across all values and property names; the rest is reported as <see cref="FindingKinds.InputTruncated"/>.</summary>
    public int MaxCharacters { get; init; } = DefaultMaxCharacters;
    public int MaxStrings { get; init; } = DefaultMaxStrings;
    /// <summary>Hosts (and their subdomains) that links may carry data to.</summary>
    public IReadOnlyCollection<string> AllowedHosts { get; init; } = [];
    public PatternPack InjectionPack { get; init; } = PatternPack.BuiltIn(PatternPack.InjectionV1);
    public PatternPack CustomPersonalDataPack { get; init; } = PatternPack.BuiltIn(PatternPack.CustomPiiV1);
}
