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

    public static readonly Error NoEligibleRole = new("policy.no_eligible_role", "An approval rule names at least one role that may approve.");

    public static Error UnknownRole(string role) =>
        new("policy.unknown_role", $"'{role}' is not a role; expected one of {string.Join(", ", People.Roles.All.Where(r => r != People.Roles.Auditor).Select(People.Roles.PolicyName))}.");

    public static Error RoleCannotApprove(string role) =>
        new("policy.role_cannot_approve", $"{People.Roles.PluralName(role)} only read; they cannot be named as approvers.");

    public static Error UnknownTimeZone(string zone) => new("policy.unknown_time_zone", $"Time zone '{zone}' is not known.");
}
