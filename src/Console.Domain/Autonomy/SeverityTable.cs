using Warden.Domain.Decisions;

namespace Warden.Domain.Autonomy;

/// <summary>
/// The severity of each kind of violation: by reason code, and for guardrail refusals by the family
/// of what was found (<c>secret</c>, <c>injection</c>, <c>pii</c>). The gravest applicable entry wins.
/// </summary>
public sealed class SeverityTable(
    IReadOnlyDictionary<string, ViolationSeverity> byCode,
    IReadOnlyDictionary<string, ViolationSeverity> byFindingFamily,
    ViolationSeverity fallback)
{
    public static IReadOnlyDictionary<string, ViolationSeverity> DefaultCodes { get; } = new Dictionary<string, ViolationSeverity>(StringComparer.Ordinal)
    {
        [DecisionCodes.RateLimited] = ViolationSeverity.Low,
        [DecisionCodes.ToolNotAllowed] = ViolationSeverity.Medium,
        [DecisionCodes.OperationNotAllowed] = ViolationSeverity.Medium,
        [DecisionCodes.CurrencyMismatch] = ViolationSeverity.Medium,
        [DecisionCodes.ResourceOutOfScope] = ViolationSeverity.High,
        [DecisionCodes.CapExceeded] = ViolationSeverity.High,
        [DecisionCodes.DailyBudgetExceeded] = ViolationSeverity.High,
        [DecisionCodes.Anomaly] = ViolationSeverity.Medium,
        [DecisionCodes.ImpactOverReported] = ViolationSeverity.High,
        // A person judged an action that ran unwatched to be wrong: as grave as leaving the scopes.
        [DecisionCodes.ReviewRejected] = ViolationSeverity.High,
        // An action that went beyond a cap after it was allowed is what caps exist to prevent.
        [DecisionCodes.ImpactOverCap] = ViolationSeverity.Critical,
        // An action approved on one preview and run as another is the change people did not approve.
        [DecisionCodes.PreviewMismatch] = ViolationSeverity.High,
    };

    public static IReadOnlyDictionary<string, ViolationSeverity> DefaultFindingFamilies { get; } = new Dictionary<string, ViolationSeverity>(StringComparer.Ordinal)
    {
        ["secret"] = ViolationSeverity.Critical,
        ["injection"] = ViolationSeverity.High,
        ["pii"] = ViolationSeverity.Medium,
        ["phi"] = ViolationSeverity.High,
    };

    public static SeverityTable Default { get; } = new(DefaultCodes, DefaultFindingFamilies, ViolationSeverity.Medium);

    /// <summary>The severity configured for a kind of violation, by its code.</summary>
    public ViolationSeverity ForCode(string code) => byCode.TryGetValue(code, out var severity) ? severity : fallback;

    /// <summary>The severity of a decision, or null when it was not a violation.</summary>
    public ViolationSeverity? Classify(Decision decision, IEnumerable<string> findingKinds)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(findingKinds);
        if (!decision.IsViolation)
            return null;
        ViolationSeverity? gravest = null;
        foreach (var reason in decision.Reasons)
        {
            if (byCode.TryGetValue(reason.Code, out var bySeverity))
                gravest = Max(gravest, bySeverity);
        }
        if (decision.Reasons.Any(r => r.Code == DecisionCodes.GuardrailFinding))
        {
            foreach (var kind in findingKinds)
            {
                var dot = kind.IndexOf('.', StringComparison.Ordinal);
                if (byFindingFamily.TryGetValue(dot > 0 ? kind[..dot] : kind, out var byFamily))
                    gravest = Max(gravest, byFamily);
            }
        }
        return gravest ?? fallback;
    }

    private static ViolationSeverity Max(ViolationSeverity? a, ViolationSeverity b) => a is { } x && x > b ? x : b;
}
