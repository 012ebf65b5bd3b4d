using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Previews;

namespace Warden.Domain.Policies;

/// <summary>The conditions a rule applies under; every list that is empty means "any".</summary>
public sealed record PolicyMatch
{
    public static readonly PolicyMatch Any = new();

    /// <summary>The <see cref="Destinations"/> entry for a destination the agent's scopes do not cover.</summary>
    public const string OutsideScopes = "outside_scopes";

    public IReadOnlyList<string> Tools { get; init; } = [];
    public IReadOnlyList<OperationKind> Operations { get; init; } = [];
    public IReadOnlyList<ResourceScope> Resources { get; init; } = [];
    public IReadOnlyList<RiskTier> RiskTiers { get; init; } = [];
    public decimal? MinAmount { get; init; }
    public int? MinRecords { get; init; }
    public IReadOnlyList<int> AutonomyLevels { get; init; } = [];
    public IReadOnlyList<string> Segments { get; init; } = [];
    /// <summary>Agent ids: a rule that names agents is the agent layer of the policy, applying to those agents only.</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];
    /// <summary>
    /// Guardrail finding kinds: a family (<c>pii</c>, <c>secret</c>, <c>injection</c>) matches every kind in it,
    /// a full kind (<c>pii.email</c>) only itself; any one present (at <see cref="MinConfidence"/> or above) matches.
    /// </summary>
    public IReadOnlyList<string> Findings { get; init; } = [];
    /// <summary>The lowest confidence (0..1) a finding needs to count; null counts every finding.</summary>
    public double? MinConfidence { get; init; }
    public TimeWindow? Window { get; init; }
    /// <summary>
    /// Where an output goes (output reviews only; a rule that names destinations never matches a
    /// request): <see cref="OutsideScopes"/> for a destination none of the agent's scopes covers
    /// (one the agent did not name included), or a host, <c>*.example.com</c> for its subdomains.
    /// </summary>
    public IReadOnlyList<string> Destinations { get; init; } = [];
    /// <summary>
    /// What the request must carry (a rule's <c>require</c>): the rule matches only requests that lack at
    /// least one of these, so its effect (deny or require_approval) is what happens to them.
    /// </summary>
    public IReadOnlyList<PolicyRequirement> Requires { get; init; } = [];
    /// <summary>The rule's <c>when</c> expression as written, shown to people.</summary>
    public string? WhenText { get; init; }
    /// <summary>The <c>when</c> expression, compiled and type-checked when the policy was loaded; it may throw, which fails the decision closed.</summary>
    public Func<DecisionContext, RiskTier, bool>? When { get; init; }

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
        if (Agents.Count > 0 && !Contains(Agents, agent.Id.Value))
            return false;
        if (Findings.Count > 0 && !AnyFinding(context.Findings))
            return false;
        if (Resources.Count > 0 && !AnyResource(request.Resource))
            return false;
        if (Destinations.Count > 0 && !AnyDestination(context.Destination))
            return false;
        if (Window is not null && !Window.Contains(context.Now))
            return false;
        if (Requires.Count > 0 && !LacksRequirement(request))
            return false;
        return When is null || When(context, risk);
    }

    /// <summary>Whether <paramref name="request"/> lacks one of <see cref="Requires"/>.</summary>
    public bool LacksRequirement(DecisionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var declared = request.Impact.Declared;
        for (var i = 0; i < Requires.Count; i++)
        {
            var lacks = Requires[i] switch
            {
                PolicyRequirement.Records => (declared & ImpactFigures.Records) == 0,
                PolicyRequirement.Amount => (declared & ImpactFigures.Amount) == 0,
                PolicyRequirement.Preview => LacksPreview(request),
                _ => declared == ImpactFigures.None,
            };
            if (lacks)
                return true;
        }
        return false;
    }

    /// <summary>No preview at hand and none to be fetched: absent, or the tool's could not be read.</summary>
    public static bool LacksPreview(DecisionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Preview is PreviewPresence.Absent or PreviewPresence.Unreadable;
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

    private bool AnyDestination(OutputDestination? destination)
    {
        if (destination is null)
            return false;
        for (var i = 0; i < Destinations.Count; i++)
        {
            if (DestinationMatches(Destinations[i], destination))
                return true;
        }
        return false;
    }

    /// <summary><c>outside_scopes</c> matches what no scope covers; <c>*.example.com</c> a subdomain of example.com; a host itself.</summary>
    public static bool DestinationMatches(string pattern, OutputDestination destination)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(destination);
        if (pattern == OutsideScopes)
            return !destination.InScope;
        if (destination.Host is not { } host)
            return false;
        return pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    private bool AnyFinding(IReadOnlyList<GuardrailFinding> findings)
    {
        for (var i = 0; i < findings.Count; i++)
        {
            if (Counts(findings[i]))
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="finding"/> is one this rule's <see cref="Findings"/> match names.</summary>
    public bool Counts(GuardrailFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (MinConfidence is { } least && finding.Confidence < least)
            return false;
        for (var i = 0; i < Findings.Count; i++)
        {
            if (KindMatches(Findings[i], finding.Kind))
                return true;
        }
        return false;
    }

    /// <summary><c>secret</c> matches <c>secret.jwt</c>; <c>pii.custom</c> matches <c>pii.custom:employee_id</c>; a full kind matches itself.</summary>
    public static bool KindMatches(string pattern, string kind)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(kind);
        if (!kind.StartsWith(pattern, StringComparison.Ordinal))
            return false;
        return kind.Length == pattern.Length || kind[pattern.Length] is '.' or ':';
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
