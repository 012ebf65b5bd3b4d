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
    /// <summary>Whether the tool's hook declares a preview of each action: then none is never an allow.</summary>
    public bool PreviewDeclared { get; init; }
}
