using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Infrastructure.Events;

namespace Warden.Features.Autonomy;

/// <summary>
/// What costs an agent autonomy, as it happens elsewhere: a critical violation (settled before the
/// decision's answer leaves, so the very next request meets the lower level), a circuit-breaker trip
/// (settled before the trip is reported), and a suspension for an attestation overdue beyond the limit.
/// </summary>
public sealed class DemotionTriggers(AutomaticDemotion demotion)
    : IEventHandler<DecisionCommitted>, IEventHandler<OutcomeViolated>, IEventHandler<AgentsContained>, IEventHandler<AgentSuspendedForAttestation>
{
    public async Task HandleAsync(DecisionCommitted happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        if (happened.Severity == ViolationSeverity.Critical)
            await demotion.OnCriticalViolationAsync(happened.AgentId, happened.DecisionId, happened.ViolationCode, cancellationToken);
    }

    /// <summary>An outcome beyond a cap is a critical violation, settled before the report is answered.</summary>
    public async Task HandleAsync(OutcomeViolated happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        if (happened.Severity == ViolationSeverity.Critical)
            await demotion.OnCriticalViolationAsync(happened.AgentId, happened.DecisionId, happened.Code, cancellationToken);
    }

    public async Task HandleAsync(AgentsContained happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        if (happened.Source != TripSource.Breaker || happened.Scope != ContainmentScope.Agent)
            return;
        foreach (var agentId in happened.AgentIds)
            await demotion.OnBreakerTripAsync(agentId, happened.TrippedBy, cancellationToken);
    }

    public async Task HandleAsync(AgentSuspendedForAttestation happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        await demotion.OnAttestationOverdueAsync(happened.AgentId, happened.GraceDays, cancellationToken);
    }
}
