namespace Warden.Domain.Policies;

public static class PolicyErrors
{
    public static readonly Error VersionRequired = new("policy.version_required", "A policy needs a version.");
    public static readonly Error RuleIdRequired = new("policy.rule_id_required", "Every rule needs an id.");

    public static Error DuplicateRuleId(string id) => new("policy.duplicate_rule_id", $"Rule id '{id}' is used twice.");

    public static Error InvalidApprovers(int approvers) =>
        new("policy.invalid_approvers", $"A rule asks for 1 or 2 approvers, not {approvers}.");

    public static Error InvalidExpiry(int minutes) =>
        new("policy.invalid_expiry", $"An approval expires after 1 to {PolicyEffect.MaxExpiryMinutes} minutes, not {minutes}.");

    public static Error UnknownTimeZone(string zone) => new("policy.unknown_time_zone", $"Time zone '{zone}' is not known.");
}
