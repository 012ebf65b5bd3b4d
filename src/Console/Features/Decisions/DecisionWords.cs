using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Policies;

namespace Warden.Features.Decisions;

/// <summary>Decisions and rules put into sentences for the people who review them.</summary>
public static class DecisionWords
{
    private static readonly HashSet<string> ByRule =
        [DecisionCodes.PolicyDeny, DecisionCodes.PolicyRequiresApproval, DecisionCodes.AllowedByPolicy];

    private static readonly HashSet<string> ByAutonomy =
        [DecisionCodes.AllowedByAutonomy, DecisionCodes.AutonomyRequiresApproval];

    public static string Effect(PolicyEffect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        return effect.Kind switch
        {
            PolicyEffectKind.Allow => effect.ReviewAfter ? "allow, reviewed afterwards by the owner or an officer" : "allow",
            PolicyEffectKind.Deny => $"deny with “{effect.Message}”",
            PolicyEffectKind.Mask => "mask what it finds in the output before it is released",
            _ => $"require approval by {effect.Approvers} of the {Approvers(effect.EligibleRoles)}, within {effect.ExpiryMinutes} minutes",
        };
    }

    /// <summary>"security officers", or "security officers who are also administrators".</summary>
    public static string Approvers(IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var officers = Roles.PluralName(Roles.SecurityOfficer);
        return roles.Contains(Roles.SecurityOfficer) ? officers : $"{officers} who are also {string.Join(" or ", roles.Select(Roles.PluralName))}";
    }

    public static string Summary(DecisionRecord record, IReadOnlyList<ReasonBody> reasons, IReadOnlyList<ExplainedRule> rules, string? whoMayApprove)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(rules);
        var primary = reasons.Count > 0 ? reasons[0] : new ReasonBody("unknown", "No reason was recorded.");
        var text = ByRule.Contains(primary.Code) && rules.FirstOrDefault(r => r.Decided) is { } decided
            ? Decided(record.Outcome, decided, rules.Where(r => !r.Decided).ToList(), record.PolicyVersion)
            : ByAutonomy.Contains(primary.Code) || primary.Code == DecisionCodes.CriticalRequiresTwoApprovers
                ? $"No rule of policy {record.PolicyVersion} decided this, so the agent's autonomy level did: {primary.Message}"
                : primary.Code == DecisionCodes.OutputReleased
                    ? $"A review of the agent's output: no content rule of policy {record.PolicyVersion} applies to it, so it may be released."
                    : primary.Code is DecisionCodes.OutputMasked or DecisionCodes.OutputWithheld
                        ? $"A review of the agent's output under policy {record.PolicyVersion}: {primary.Message}"
                        : $"Refused before the policy's rules were weighed: {primary.Message}";
        if (reasons.Any(r => r.Code == DecisionCodes.CriticalRequiresTwoApprovers) && primary.Code != DecisionCodes.CriticalRequiresTwoApprovers)
            text += " Critical-risk actions always need two approvers, so two were required.";
        if (record.Outcome == DecisionOutcome.Pending && whoMayApprove is not null)
            text += $" It may be decided by {whoMayApprove}; {record.RequiredApprovals} approval{(record.RequiredApprovals == 1 ? " was" : "s were")} needed.";
        return text;
    }

    private static string Decided(DecisionOutcome outcome, ExplainedRule rule, List<ExplainedRule> others, string version)
    {
        var verb = outcome switch
        {
            DecisionOutcome.Deny => "refused this",
            DecisionOutcome.Pending => "held this for approval",
            _ => "allowed this",
        };
        var why = string.IsNullOrWhiteSpace(rule.Description) ? "." : $": {rule.Description.TrimEnd('.')}.";
        var text = $"Rule '{rule.Id}' of policy {version} {verb}{why}";
        if (others.Count > 0)
        {
            var names = string.Join(" and ", others.Select(o => o.Known ? $"'{o.Id}' ({o.Effect})" : $"'{o.Id}'"));
            text += $" {names} matched too but {(others.Count == 1 ? "was" : "were")} outweighed: deny overrides require approval, which overrides allow.";
        }
        return text;
    }
}
