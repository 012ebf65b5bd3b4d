using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Decisions;

/// <summary>
/// <c>GET /api/v1/agents/me</c>, answered from the agent as the decision path sees it (<see cref="LiveAgents"/>):
/// the same copy, so what an agent reads about itself is what its next decision is made with, and an agent
/// whose settings were changed outside Warden is refused here as its decisions are.
/// </summary>
internal static class AgentSelfEndpoint
{
    public static async Task<IResult> GetAsync(
        HttpContext context, AgentTokenGate gate, AgentCallLimiter limiter, LiveAgents agents)
    {
        var agent = DecisionEndpoints.Authenticate(context, gate);
        if (agent.IsFailure)
            return DecisionEndpoints.Refused(agent.Error);
        if (limiter.Refusal(context, agent.Value) is { } limited)
            return limited;
        if (!AgentId.TryParse(agent.Value, out var id))
            return ApiProblems.Unauthorized("unknown-agent", "The token does not belong to a registered agent.");

        var found = await agents.GetAsync(id, context.RequestAborted);
        if (found is null)
            return DecisionEndpoints.ToProblem(agents.IsRefused(id) ? DecisionErrors.AgentSettingsUnverified : DecisionErrors.UnknownAgent);
        return Results.Ok(new AgentSelfResponse(
            found.Id.Value,
            found.Name,
            found.Status.ToString().ToLowerInvariant(),
            found.AutonomyLevel,
            found.Segment,
            found.RateLimitPerMinute,
            new AgentCapsBody(found.Caps.MaxRecordsPerAction, found.Caps.MaxAmountPerAction, found.Caps.DailyRecordBudget,
                found.Caps.DailyAmountBudget, found.Caps.Currency),
            found.Tools.Select(t => new AgentToolBody(
                t.Name,
                [.. t.Operations.Select(o => o.ToString().ToLowerInvariant())],
                t.Risk.ToString().ToLowerInvariant(),
                t.ParameterSchema is not null)).ToList(),
            found.Scopes.Select(s => s.Pattern).ToList(),
            found.Status == AgentStatus.Contained,
            found.Status == AgentStatus.Contained ? found.StatusReason : null));
    }
}
