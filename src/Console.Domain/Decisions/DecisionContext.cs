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
    /// <summary>Whether the requested tool declares a compensating action (autonomy level 2 lets only such writes go alone); unknown until looked up.</summary>
    public ToolCompensation Compensation { get; init; }
}
