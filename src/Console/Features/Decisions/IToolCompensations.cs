using Warden.Domain.Decisions;

namespace Warden.Features.Decisions;

/// <summary>
/// Whether a tool declares a compensating action, which autonomy level 2 asks of writes that go alone.
/// A port: the tool hooks are declared in a feature above this one (Tools provides it; Autonomy reads it for readiness).
/// A lookup that fails answers <see cref="ToolCompensation.Unknown"/>, never throws: the write then waits for approval.
/// </summary>
public interface IToolCompensations
{
    ValueTask<ToolCompensation> OfAsync(string tool, CancellationToken cancellationToken);

    /// <summary>Whether each tool declares a compensating action; null when that could not be read.</summary>
    Task<Func<string, bool>?> AllAsync(CancellationToken cancellationToken);
}

/// <summary>Only where the answer can change the decision: a level-2 agent's write. Anything else is left unknown (and unread).</summary>
public static class CompensationLookup
{
    public static ValueTask<ToolCompensation> ForAsync(this IToolCompensations compensations, AgentView agent, DecisionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compensations);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        return agent.AutonomyLevel == 2 && request.Operation != Warden.Domain.Agents.OperationKind.Read
            ? compensations.OfAsync(request.Tool, cancellationToken)
            : ValueTask.FromResult(ToolCompensation.Unknown);
    }
}
