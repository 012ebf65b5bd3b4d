using Warden.Features.Decisions;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;
using P = Warden.Infrastructure.Hosting.ApiProblemTypes;

namespace Warden.Features.Approvals;

/// <summary><c>PUT /api/v1/decisions/{id}/preview</c>: the agent's new preview of a held action (agent API v1, bearer tokens only).</summary>
public static class PreviewEndpoints
{
    public static IEndpointRouteBuilder MapPreviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").RequireAuthorization(AgentApi.Policy).WithTags("Agent API")
            .MapPut("/decisions/{id}/preview", ChangeAsync).WithName("ChangePreview")
            .WithSummary("Send a new preview of a held action; approvals given on the earlier preview are void.")
            .WithDescription("Only while the decision is pending. The same preview (same digest) changes nothing; another one voids every " +
                "approval cast so far (kept in the record, no longer counted) and officers decide again. The deadline does not move. " +
                "The answer carries the new previewDigest. A tool that supplies its own preview (its hook fetches it) takes none from the agent (400).")
            .DescribesBody<PreviewBody>(DecisionEndpoints.JsonType)
            .Produces<DecisionResponse>(StatusCodes.Status200OK)
            .ProducesProblemTypes(P.InvalidRequest, P.UnsupportedMediaType, P.RequestTooLarge, P.TokenRefused, P.UnknownAgent, P.Contained,
                P.RateLimited, P.NotFound, P.PreviewNotPending, P.AgentSettingsUnverified, P.DecisionUnavailable);
        return app;
    }

    private static async Task<IResult> ChangeAsync(string id, HttpContext context, PreviewChanges changes, AgentTokenGate gate, AgentCallLimiter limiter)
    {
        var agent = DecisionEndpoints.Authenticate(context, gate);
        if (agent.IsFailure)
            return DecisionEndpoints.Refused(agent.Error);
        if (limiter.Refusal(context, agent.Value) is { } limited)
            return limited;
        var body = await DecisionEndpoints.ReadJsonAsync<PreviewBody>(context);
        if (body.Problem is not null)
            return body.Problem;
        var result = await changes.ChangeAsync(agent.Value, id, body.Value!, context.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : DecisionEndpoints.ToProblem(result.Error);
    }
}
