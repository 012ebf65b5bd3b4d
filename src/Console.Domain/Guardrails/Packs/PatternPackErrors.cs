namespace Warden.Domain.Guardrails.Packs;

public static class PatternPackErrors
{
    public static Error InvalidJson(string detail) => new("guardrail_pack.invalid_json", $"The pattern pack is not valid JSON: {detail}");

    public static readonly Error MissingVersion = new("guardrail_pack.missing_version", "The pattern pack needs a version.");

    public static readonly Error NoPatterns = new("guardrail_pack.no_patterns", "The pattern pack has no patterns.");

    public static Error MissingId(int index) => new("guardrail_pack.missing_id", $"Pattern #{index + 1} has no id.");

    public static Error DuplicateId(string id) => new("guardrail_pack.duplicate_id", $"Pattern '{id}' appears more than once.");

    public static Error UnknownKind(string id, string kind) =>
        new("guardrail_pack.unknown_kind",
            $"Pattern '{id}' has kind '{kind}'; a pack may define injection.override, injection.roleplay, injection.exfiltration or pii.custom:<name> (lower case letters, digits, '_').");

    public static Error ConfidenceOutOfRange(string id, double confidence) =>
        new("guardrail_pack.confidence_out_of_range", $"Pattern '{id}' has confidence {confidence}; it must be between 0 and 1.");

    public static Error InvalidRegex(string id, string detail) =>
        new("guardrail_pack.invalid_regex", $"Pattern '{id}' is not a valid regular expression: {detail}");

    public static Error UnsupportedRegex(string id, string detail) =>
        new("guardrail_pack.unsupported_regex",
            $"Pattern '{id}' uses a construct the linear-time engine cannot run (lookarounds, backreferences, atomic groups): {detail}");

    public static Error PatternTooLong(string id, int max) => new("guardrail_pack.pattern_too_long", $"Pattern '{id}' is longer than {max} characters.");
}
