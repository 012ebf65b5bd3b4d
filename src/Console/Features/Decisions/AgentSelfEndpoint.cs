using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Features.Decisions;

internal static class AgentSelfEndpoint
{
    public static async Task<IResult> GetAsync(
        HttpContext context, AgentTokenGate gate, AgentCallLimiter limiter, IDbContextFactory<WardenDbContext> contexts)
    {
        var agent = DecisionEndpoints.Authenticate(context, gate);
        if (agent.IsFailure)
            return DecisionEndpoints.Refused(agent.Error);
        if (limiter.Refusal(context, agent.Value) is { } limited)
            return limited;
        if (!AgentId.TryParse(agent.Value, out var id))
            return ApiProblems.Unauthorized("unknown-agent", "The token does not belong to a registered agent.");

        await using var db = contexts.CreateDbContext();
        var found = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, context.RequestAborted);
        if (found is null)
            return ApiProblems.Unauthorized("unknown-agent", "The token does not belong to a registered agent.");
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
