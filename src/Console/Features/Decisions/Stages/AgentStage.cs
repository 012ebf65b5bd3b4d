using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Infrastructure.Cluster;

namespace Warden.Features.Decisions.Stages;

/// <summary>Identity and lifecycle: the registered agent, and the view the engine judges its status and attestation by.</summary>
/// It also notes the state epoch the request is decided under, before anything the decision depends
/// on is read, and refuses while this instance's view of the shared state is older than the bound.
public sealed class AgentStage(LiveAgents agents, AgentViews views, StateEpoch state, TimeProvider clock) : IDecisionStage
{
    public async ValueTask<Result<DecisionResponse>?> RunAsync(DecisionAttempt attempt, CancellationToken cancellationToken)
    {
        attempt.Epoch = state.View;
        if (!await state.EnsureCurrentAsync(cancellationToken))
            return DecisionErrors.StateBehind;
        if (!AgentId.TryParse(attempt.AgentId, out var id))
            return DecisionErrors.UnknownAgent;
        var agent = await agents.GetAsync(id, cancellationToken);
        if (agent is null)
            return agents.IsRefused(id) ? DecisionErrors.AgentSettingsUnverified : DecisionErrors.UnknownAgent;
        attempt.Agent = agent;
        attempt.Now = clock.GetUtcNow();
        attempt.View = views.Of(agent, attempt.Now);
        return null;
    }
}

/// <summary>What the engine sees of an agent at a moment: enforcement refuses from the moment the upkeep job would suspend.</summary>
public sealed class AgentViews(IOptions<DirectoryOptions> directory)
{
    public AgentView Of(Agent agent, DateTimeOffset now)
    {
        var settings = directory.Value;
        var overdueBeyondGrace = now > agent.AttestationDueAt(settings.AttestationPeriod) + TimeSpan.FromDays(settings.AttestationGraceDays);
        return AgentView.From(agent, overdueBeyondGrace, settings.EnforceAttestation);
    }
}
