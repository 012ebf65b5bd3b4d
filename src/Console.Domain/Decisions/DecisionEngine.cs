using System.Globalization;
using Warden.Domain.Agents;
using Warden.Domain.Policies;
using Warden.Domain.Previews;

namespace Warden.Domain.Decisions;

/// <summary>
/// The decision pipeline as a pure function: cheap, deterministic refusals first, then the policy,
/// then the autonomy level's default. Any fault denies.
/// </summary>
public static class DecisionEngine
{
    private const string GuardrailFamilyPrefix = "guardrail.";
    private const int MaxListedFindings = 5;

    public static Decision Decide(DecisionContext context)
    {
        try
        {
            return Evaluate(context);
        }
#pragma warning disable CA1031 // Fail closed: whatever went wrong, the answer is a refusal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Deny(DecisionCodes.EvaluationError, $"The request could not be evaluated ({ex.GetType().Name}); it is refused.",
                        null, context?.Policy?.Version ?? string.Empty);
        }
    }

    private static Decision Evaluate(DecisionContext context)
    {
        var agent = context.Agent;
        var request = context.Request;
        var version = context.Policy.Version;

        if (context.Containment.Contained(agent) is { } containment)
            return Deny(DecisionCodes.Contained, containment, null, version);
        if (agent.Status != AgentStatus.Active)
            return Deny(DecisionCodes.AgentNotActive, $"The agent is {agent.Status.ToString().ToLowerInvariant()}, not active.", null, version);
        if (agent.AttestationOverdue && agent.AttestationEnforced)
            return Deny(DecisionCodes.AttestationOverdue, "The owner's attestation of this agent is overdue.", null, version);

        var tool = agent.FindTool(request.Tool);
        if (tool is null)
            return Violation(DecisionCodes.ToolNotAllowed, $"Tool '{request.Tool}' is not declared for this agent.", null, version);
        var risk = tool.Risk;
        if (!tool.Operations.Contains(request.Operation))
            return Violation(DecisionCodes.OperationNotAllowed,
                             $"Tool '{tool.Name}' is not declared for {OperationNames.Name(request.Operation)}.", risk, version);
        if (!agent.InScope(request.Resource))
            return Violation(DecisionCodes.ResourceOutOfScope, $"Resource '{request.Resource}' is outside the agent's scopes.", risk, version);
        if (context.Usage.RequestsThisMinute >= agent.RateLimitPerMinute)
            return RateLimited(context, risk);
        if (CheckCaps(agent.Caps, request.Impact, context.Usage, risk, version) is { } capped)
            return capped;
        if (Unread(context.Findings, risk, version) is { } unread)
            return unread;

        var verdict = context.Policy.Evaluate(context, risk);
        var decided = FromVerdict(verdict, risk, version, context.Findings, request,
                                  () => AutonomyDefault(agent.AutonomyLevel, request, risk, context.Compensation, version));
        decided = PreviewBinding.Hold(decided, context.PreviewDeclared, request.Preview);
        return risk == RiskTier.Critical ? AtLeastTwoApprovers(decided) : decided;
    }

    /// <summary>
    /// Reviews what an agent is about to release (the output of an action decided earlier): the
    /// agent must still be free to act, everything must have been read, and only the rules about
    /// content apply. No content rule matching releases it.
    /// </summary>
    public static Decision ReviewOutput(DecisionContext context)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(context);
            var agent = context.Agent;
            var version = context.Policy.Version;
            if (context.Containment.Contained(agent) is { } containment)
                return Deny(DecisionCodes.Contained, containment, null, version);
            if (agent.Status != AgentStatus.Active)
                return Deny(DecisionCodes.AgentNotActive, $"The agent is {agent.Status.ToString().ToLowerInvariant()}, not active.", null, version);
            var risk = agent.FindTool(context.Request.Tool)?.Risk ?? RiskTier.Critical;
            if (Unread(context.Findings, risk, version) is { } unread)
                return unread;
            var verdict = context.Policy.EvaluateContent(context, risk);
            if (verdict.Deny is null && verdict.Approval is null && verdict.Masks is { Count: > 0 } masks)
                return Masked(masks, risk, version, context.Findings);
            return FromVerdict(verdict, risk, version, context.Findings, context.Request, () => new Decision(DecisionOutcome.Allow,
                [new DecisionReason(DecisionCodes.OutputReleased, "No content rule applies to this output; it may be released.")], risk, version));
        }
#pragma warning disable CA1031 // Fail closed: whatever went wrong, the output is held back.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Deny(DecisionCodes.EvaluationError, $"The output could not be reviewed ({ex.GetType().Name}); it is refused.",
                        null, context?.Policy?.Version ?? string.Empty);
        }
    }

    /// <summary>
    /// An output released with what the mask rules count masked: the reason names the kinds and how
    /// many of each, never the values; <see cref="Decision.MaskRules"/> tells the caller what to mask.
    /// </summary>
    private static Decision Masked(IReadOnlyList<PolicyRule> masks, RiskTier risk, string version, IReadOnlyList<GuardrailFinding> findings)
    {
        var counted = findings.Where(f => masks.Any(m => m.Match.Counts(f))).ToList();
        var kinds = string.Join(", ", counted.GroupBy(f => f.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} ×{g.Count()}")));
        var rules = string.Join(", ", masks.Select(m => $"'{m.Id}'"));
        return new Decision(DecisionOutcome.Allow, [new DecisionReason(DecisionCodes.OutputMasked,
                            $"Released with {kinds} masked, as rule{(masks.Count == 1 ? string.Empty : "s")} {rules} require{(masks.Count == 1 ? "s" : string.Empty)}.")],
                            risk, version, MatchedRuleId: masks[0].Id)
        {
            MaskRules = masks,
            OtherRuleIds = masks.Count > 1 ? masks.Skip(1).Select(m => m.Id).ToArray() : null,
        };
    }

    /// <summary>The deciding rule of <paramref name="verdict"/> as a decision (deny over approval over allow), or <paramref name="otherwise"/> when none matched.</summary>
    private static Decision FromVerdict(
        PolicyVerdict verdict, RiskTier risk, string version, IReadOnlyList<GuardrailFinding> findings, DecisionRequest request, Func<Decision> otherwise)
    {
        Decision decided;
        if (verdict.Deny is { } deny)
            decided = new Decision(DecisionOutcome.Deny, [new DecisionReason(DenyCode(deny, request), deny.Effect.Message ?? $"Denied by rule '{deny.Id}'.")],
                                   risk, version, MatchedRuleId: deny.Id) { OtherRuleIds = Others(verdict, deny) };
        else if (verdict.Approval is { } approval)
            decided = new Decision(DecisionOutcome.Pending, [new DecisionReason(DecisionCodes.PolicyRequiresApproval, RuleText(approval, "requires approval"))],
                                   risk, version, approval.Effect.Approvers, TimeSpan.FromMinutes(approval.Effect.ExpiryMinutes), approval.Id)
            {
                OtherRuleIds = Others(verdict, approval),
                EligibleRoles = ReferenceEquals(approval.Effect.EligibleRoles, PolicyEffect.DefaultEligibleRoles) ? null : approval.Effect.EligibleRoles,
            };
        else if (verdict.Allow is { } allow)
        {
            decided = new Decision(DecisionOutcome.Allow, [new DecisionReason(DecisionCodes.AllowedByPolicy, RuleText(allow, "allows this"))],
                                   risk, version, MatchedRuleId: allow.Id);
            if (allow.Effect.ReviewAfter)
                decided = ReviewedAfter(decided);
        }
        else
            decided = otherwise();
        return WithFindings(decided, verdict, findings);
    }

    /// <summary>A rule that refuses what lacks a declared impact or a preview says so in its code, so agents can key on it.</summary>
    private static string DenyCode(PolicyRule deny, DecisionRequest request) =>
        deny.Match.Requires.Count == 0 ? DecisionCodes.PolicyDeny
        : deny.Match.Requires.Contains(PolicyRequirement.Preview) && PolicyMatch.LacksPreview(request) ? DecisionCodes.PreviewRequired
        : DecisionCodes.ImpactRequired;

    /// <summary>The winners of the other effects, outweighed by <paramref name="decisive"/>; null (no allocation) when there are none.</summary>
    private static string[]? Others(PolicyVerdict verdict, PolicyRule decisive)
    {
        var approval = verdict.Approval is { } a && !ReferenceEquals(a, decisive) ? a.Id : null;
        var allow = verdict.Allow?.Id;
        return (approval, allow) switch
        {
            (null, null) => null,
            (null, { } only) => [only],
            ({ } only, null) => [only],
            var (first, second) => [first!, second!],
        };
    }

    /// <summary>What a scanner could not read (too much input, a pattern out of time, a failed detector) is refused, never waved through.</summary>
    private static Decision? Unread(IReadOnlyList<GuardrailFinding> findings, RiskTier risk, string version)
    {
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            if (finding.Kind.StartsWith(GuardrailFamilyPrefix, StringComparison.Ordinal))
                return new Decision(DecisionOutcome.Deny,
                                    [new DecisionReason(DecisionCodes.GuardrailUnchecked, $"Part of the request could not be checked ({finding.Kind} at {finding.Location}); it is refused.")],
                                    risk, version, IsViolation: true);
        }
        return null;
    }

    /// <summary>A decision made by a rule about content says which findings it acted on; a refusal for content is a violation.</summary>
    private static Decision WithFindings(Decision decided, PolicyVerdict verdict, IReadOnlyList<GuardrailFinding> findings)
    {
        var rule = decided.MatchedRuleId switch
        {
            null => null,
            var id when verdict.Deny?.Id == id => verdict.Deny,
            var id when verdict.Approval?.Id == id => verdict.Approval,
            var id when verdict.Allow?.Id == id => verdict.Allow,
            _ => null,
        };
        if (rule is null || rule.Match.Findings.Count == 0)
            return decided;
        var counted = findings.Where(rule.Match.Counts).ToList();
        if (counted.Count == 0)
            return decided;
        var listed = string.Join("; ", counted.Take(MaxListedFindings).Select(f =>
            string.Create(CultureInfo.InvariantCulture, $"{f.Kind} at {f.Location} (confidence {f.Confidence:0.00})")));
        var more = counted.Count > MaxListedFindings ? $" and {counted.Count - MaxListedFindings} more" : string.Empty;
        return decided with
        {
            Reasons = [.. decided.Reasons, new DecisionReason(DecisionCodes.GuardrailFinding, $"Found {listed}{more}.")],
            IsViolation = decided.IsViolation || decided.Outcome == DecisionOutcome.Deny,
        };
    }

    private static Decision? CheckCaps(ImpactCaps caps, RequestImpact impact, UsageView usage, RiskTier risk, string version)
    {
        if (impact.Records > caps.MaxRecordsPerAction)
            return Violation(DecisionCodes.CapExceeded, $"{impact.Records} records exceed the cap of {caps.MaxRecordsPerAction} per action.", risk, version);
        if (impact.Amount != 0m && caps.Currency is not null && impact.Currency is not null
            && !string.Equals(caps.Currency, impact.Currency, StringComparison.OrdinalIgnoreCase))
            return Violation(DecisionCodes.CurrencyMismatch, $"Amounts are capped in {caps.Currency}, not {impact.Currency}.", risk, version);
        if (impact.Amount > caps.MaxAmountPerAction)
            return Violation(DecisionCodes.CapExceeded, $"{impact.Amount} {caps.Currency} exceeds the cap of {caps.MaxAmountPerAction} per action.", risk, version);
        if (usage.RecordsToday + impact.Records > caps.DailyRecordBudget)
            return Violation(DecisionCodes.DailyBudgetExceeded,
                             $"{impact.Records} more records would exceed today's budget of {caps.DailyRecordBudget} ({usage.RecordsToday} used).", risk, version);
        if (usage.AmountToday + impact.Amount > caps.DailyAmountBudget)
            return Violation(DecisionCodes.DailyBudgetExceeded,
                             $"{impact.Amount} {caps.Currency} more would exceed today's budget of {caps.DailyAmountBudget} ({usage.AmountToday} used).", risk, version);
        return null;
    }

    /// <summary>
    /// What the agent's level lets it do alone when no rule decides (DESIGN section 8): reads at every
    /// level; at level 1 low-risk writes, each reviewed after it ran; at level 2 low- and medium-risk
    /// writes of tools that declare a compensating action (a tool without one, or whose declaration
    /// could not be read, waits for approval); at level 3 writes up to high risk.
    /// </summary>
    private static Decision AutonomyDefault(int level, DecisionRequest request, RiskTier risk, ToolCompensation compensation, string version)
    {
        var operation = request.Operation;
        if (operation == OperationKind.Read)
            return new Decision(DecisionOutcome.Allow, [new DecisionReason(DecisionCodes.AllowedByAutonomy, "Reads are allowed at every autonomy level.")], risk, version);
        var change = $"{Tier(risk)}-risk {OperationNames.Name(operation)}";
        switch (level)
        {
            case 1 when risk <= RiskTier.Low:
                return ReviewedAfter(new Decision(DecisionOutcome.Allow,
                    [new DecisionReason(DecisionCodes.AllowedByAutonomy, $"Autonomy level 1 allows {Tier(risk)}-risk changes alone.")], risk, version));
            case 2 when risk <= RiskTier.Medium && compensation == ToolCompensation.Declared:
                return new Decision(DecisionOutcome.Allow,
                    [new DecisionReason(DecisionCodes.AllowedByAutonomy, $"Autonomy level 2 allows {Tier(risk)}-risk changes alone for tools that can be rolled back; '{request.Tool}' declares a compensating action.")],
                    risk, version);
            case 2 when risk <= RiskTier.Medium:
                return Pending(DecisionCodes.AutonomyRequiresApproval, compensation == ToolCompensation.None
                        ? $"Autonomy level 2 lets changes go alone only for tools that can be rolled back; '{request.Tool}' declares no compensating action, so this {change} needs approval."
                        : $"Whether '{request.Tool}' declares a compensating action could not be read, so this {change} needs approval at autonomy level 2.",
                    risk, version, 1, Decision.DefaultApprovalExpiry, null);
            case >= 3 when risk <= RiskTier.High:
                return new Decision(DecisionOutcome.Allow,
                    [new DecisionReason(DecisionCodes.AllowedByAutonomy, $"Autonomy level {level} allows {Tier(risk)}-risk changes alone.")], risk, version);
            default:
                return Pending(DecisionCodes.AutonomyRequiresApproval, $"Autonomy level {level} needs approval for a {change}.",
                               risk, version, 1, Decision.DefaultApprovalExpiry, null);
        }
    }

    private static Decision ReviewedAfter(Decision allowed) => allowed with
    {
        Reasons = [.. allowed.Reasons, new DecisionReason(DecisionCodes.ReviewAfter, "The action may run now; its owner or a security officer reviews it afterwards.")],
        ReviewAfter = true,
    };

    private static Decision AtLeastTwoApprovers(Decision decided)
    {
        if (decided.Outcome == DecisionOutcome.Deny || decided.RequiredApprovals >= 2)
            return decided;
        var reason = new DecisionReason(DecisionCodes.CriticalRequiresTwoApprovers, "Critical-risk actions always need two approvers.");
        return decided with
        {
            Outcome = DecisionOutcome.Pending,
            ReviewAfter = false,
            Reasons = decided.Outcome == DecisionOutcome.Pending ? [.. decided.Reasons, reason] : [reason],
            RequiredApprovals = 2,
            ApprovalExpiry = decided.ApprovalExpiry ?? Decision.DefaultApprovalExpiry,
        };
    }

    private static Decision RateLimited(DecisionContext context, RiskTier risk)
    {
        var intoMinute = context.Now.UtcTicks % TimeSpan.TicksPerMinute;
        var retryAfter = TimeSpan.FromTicks(TimeSpan.TicksPerMinute - intoMinute);
        return new Decision(DecisionOutcome.Deny,
                            [new DecisionReason(DecisionCodes.RateLimited, $"The limit of {context.Agent.RateLimitPerMinute} requests per minute is reached.")],
                            risk, context.Policy.Version, IsViolation: true, RetryAfter: retryAfter);
    }

    private static Decision Pending(string code, string message, RiskTier risk, string version, int approvers, TimeSpan expiry, string? ruleId) =>
        new(DecisionOutcome.Pending, [new DecisionReason(code, message)], risk, version, approvers, expiry, ruleId);

    private static Decision Deny(string code, string message, RiskTier? risk, string version) =>
        new(DecisionOutcome.Deny, [new DecisionReason(code, message)], risk, version);

    private static Decision Violation(string code, string message, RiskTier? risk, string version) =>
        new(DecisionOutcome.Deny, [new DecisionReason(code, message)], risk, version, IsViolation: true);

    private static string RuleText(PolicyRule rule, string verb) =>
        string.IsNullOrWhiteSpace(rule.Description) ? $"Rule '{rule.Id}' {verb}." : $"Rule '{rule.Id}' {verb}: {rule.Description}";

    private static string Tier(RiskTier risk) => risk switch
    {
        RiskTier.Low => "low",
        RiskTier.Medium => "medium",
        RiskTier.High => "high",
        _ => "critical",
    };
}
