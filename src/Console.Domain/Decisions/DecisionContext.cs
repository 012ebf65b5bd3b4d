using Warden.Domain.Policies;

namespace Warden.Domain.Decisions;

/// <summary>Everything one decision depends on. The engine reads nothing else, not even the clock.</summary>
public sealed record DecisionContext(
    AgentView Agent,
    IContainmentView Containment,
    UsageView Usage,
    DecisionRequest Request,
    IReadOnlyList<GuardrailFinding> Findings,
    Policy Policy,
    DateTimeOffset Now)
{
    /// <summary>Where a reviewed output goes; null for requests.</summary>
    public OutputDestination? Destination { get; init; }

    /// <summary>Whether the tool's hook declares a preview of each action: then none is never an allow.</summary>
    public bool PreviewDeclared { get; init; }

    /// <summary>Whether the requested tool declares a compensating action (autonomy level 2 lets only such writes go alone); unknown until looked up.</summary>
    public ToolCompensation Compensation { get; init; }
}

/// <summary>
/// Where an output is released to: the host the agent names (an address's domain, a URL's host), or
/// none when it names nothing, and whether one of the agent's resource scopes covers it. An output
/// whose destination is not named is not covered: Warden cannot tell where it will go.
/// </summary>
public sealed record OutputDestination(string? Host, bool InScope)
{
    public static readonly OutputDestination Undeclared = new(null, false);
}
