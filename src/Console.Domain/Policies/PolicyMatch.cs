using Warden.Domain.Agents;
using Warden.Domain.Decisions;

namespace Warden.Domain.Policies;

/// <summary>The conditions a rule applies under; every list that is empty means "any".</summary>
public sealed record PolicyMatch
{
    public static readonly PolicyMatch Any = new();

    public IReadOnlyList<string> Tools { get; init; } = [];
    public IReadOnlyList<OperationKind> Operations { get; init; } = [];
    public IReadOnlyList<ResourceScope> Resources { get; init; } = [];
    public IReadOnlyList<RiskTier> RiskTiers { get; init; } = [];
    public decimal? MinAmount { get; init; }
    public int? MinRecords { get; init; }
    public IReadOnlyList<int> AutonomyLevels { get; init; } = [];
    public IReadOnlyList<string> Segments { get; init; } = [];
    /// <summary>Guardrail finding kinds (e.g. <c>pii</c>, <c>secret</c>); any one present matches.</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];
    public TimeWindow? Window { get; init; }

    public bool Matches(DecisionContext context, RiskTier risk)
    {
        var request = context.Request;
        var agent = context.Agent;
        if (Tools.Count > 0 && !Contains(Tools, request.Tool))
            return false;
        if (Operations.Count > 0 && !Contains(Operations, request.Operation))
            return false;
        if (RiskTiers.Count > 0 && !Contains(RiskTiers, risk))
            return false;
        if (MinAmount is { } minAmount && request.Impact.Amount < minAmount)
            return false;
        if (MinRecords is { } minRecords && request.Impact.Records < minRecords)
            return false;
        if (AutonomyLevels.Count > 0 && !Contains(AutonomyLevels, agent.AutonomyLevel))
            return false;
        if (Segments.Count > 0 && !Contains(Segments, agent.Segment))
            return false;
        if (Findings.Count > 0 && !AnyFinding(context.Findings))
            return false;
        if (Resources.Count > 0 && !AnyResource(request.Resource))
            return false;
        return Window is null || Window.Contains(context.Now);
    }

    private bool AnyResource(string resource)
    {
        for (var i = 0; i < Resources.Count; i++)
        {
            if (Resources[i].Matches(resource))
                return true;
        }
        return false;
    }

    private bool AnyFinding(IReadOnlyList<GuardrailFinding> findings)
    {
        for (var i = 0; i < findings.Count; i++)
        {
            if (Contains(Findings, findings[i].Kind))
                return true;
        }
        return false;
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static bool Contains<T>(IReadOnlyList<T> values, T value)
        where T : struct
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(values[i], value))
                return true;
        }
        return false;
    }
}
