using Warden.Domain;

namespace Warden.Features.Policies;

/// <summary>Errors in a policy document; every message starts with the line and column it is about.</summary>
public static class PolicyYamlErrors
{
    public const string SyntaxCode = "policy.yaml_syntax";
    public const string UnknownFieldCode = "policy.unknown_field";
    public const string MissingFieldCode = "policy.missing_field";
    public const string InvalidValueCode = "policy.invalid_value";
    public const string InvalidPatternCode = "policy.invalid_pattern";
    public const string UnknownTimeZoneCode = "policy.unknown_time_zone";
    public const string RuleIdRequiredCode = "policy.rule_id_required";
    public const string DuplicateRuleIdCode = "policy.duplicate_rule_id";
    public const string TooLargeCode = "policy.too_large";
    public const string InvalidExpressionCode = "policy.invalid_expression";
    public const string UnknownRoleCode = "policy.unknown_role";

    public static Error At(string code, long line, long column, string message) =>
        new(code, $"Line {line}, column {column}: {message}");
}
