using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Warden.Domain.Containment;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;

namespace Warden.Features.Containment;

[ApiRequired("scope", "reason")]
public sealed record TripBody(string? Scope, string? Target, string? Reason);

/// <summary>A containment in force: its scope (agent, owner, segment, global), target and why.</summary>
public sealed record ContainmentInForce(string Id, string Scope, string? Target, string? Label, string Reason, DateTimeOffset TrippedAt);

public sealed record TripResponse(string Id, int AgentsContained, int ApprovalsCancelled, int GrantsInvalidated);

/// <summary>
/// <c>/api/v1/containment</c> for security tooling: read and trip with an automation client's token
/// (scope <c>containment</c>). Release is deliberately not offered here: it needs two people.
/// </summary>
public static class ContainmentEndpoints
{
    public const string Path = "/api/v1/containment";

    public static IEndpointRouteBuilder MapContainmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ListAsync).RequireAuthorization(AutomationApi.Policy).WithTags("Automation API")
            .WithName("ListContainments").WithSummary("The containments in force.")
            .Produces<IReadOnlyList<ContainmentInForce>>(StatusCodes.Status200OK)
            .ProducesProblemTypes(ApiProblemTypes.TokenRefused);
        app.MapPost(Path, TripAsync).RequireAuthorization(AutomationApi.Policy).WithTags("Automation API")
            .WithName("TripContainment").WithSummary("Contain an agent, an owner's agents, a segment, or everything.")
            .WithDescription("scope is agent, owner, segment or global; target is the agent id, the owner's email or the segment (none for global).")
            .DescribesBody<TripBody>("application/json")
            .Produces<TripResponse>(StatusCodes.Status201Created)
            .ProducesProblemTypes(ApiProblemTypes.TokenRefused, ApiProblemTypes.InvalidRequest, ApiProblemTypes.AlreadyContained);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IDbContextFactory<WardenDbContext> contexts, ContainmentRegistry registry)
    {
        if (await ClientAsync(context, contexts) is null)
            return ApiProblems.Unauthorized("token-refused", "The automation client is revoked or unknown.");
        return Results.Ok(registry.Current.All
            .Select(c => new ContainmentInForce(c.Id, c.Scope.ToString().ToLowerInvariant(), c.Target, c.TargetLabel, c.Reason, c.TrippedAt))
            .ToList());
    }

    private static async Task<IResult> TripAsync(HttpContext context, IDbContextFactory<WardenDbContext> contexts, ContainmentEngine engine)
    {
        var client = await ClientAsync(context, contexts);
        if (client is null)
            return ApiProblems.Unauthorized("token-refused", "The automation client is revoked or unknown.");
        TripBody? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<TripBody>(new JsonSerializerOptions(JsonSerializerDefaults.Web), context.RequestAborted);
        }
        catch (JsonException)
        {
            return ApiProblems.InvalidRequest("The body is not valid JSON: send { scope, target, reason }.");
        }
        if (body is null || !Enum.TryParse<ContainmentScope>(body.Scope, ignoreCase: true, out var scope) || !Enum.IsDefined(scope))
            return ApiProblems.InvalidRequest("scope is one of agent, owner, segment, global.");
        var result = await engine.TripAsync(scope, body.Target, body.Reason,
            new ContainmentActor(TripSource.Automation, client.Id, null, $"automation:{client.Name}"), CancellationToken.None);
        if (result.IsFailure)
            return result.Error.Code == ContainmentErrors.AlreadyContained.Code
                ? ApiProblems.Problem(StatusCodes.Status409Conflict, "already-contained", "Already contained", result.Error.Message)
                : ApiProblems.InvalidRequest(result.Error.Message);
        return Results.Created($"/api/v1/containment/{result.Value.ContainmentId}", new TripResponse(
            result.Value.ContainmentId, result.Value.AgentsContained, result.Value.ApprovalsCancelled, result.Value.GrantsInvalidated));
    }

    private static async Task<AutomationClient?> ClientAsync(HttpContext context, IDbContextFactory<WardenDbContext> contexts)
    {
        var id = context.User.GetClaim(OpenIddictConstants.Claims.Subject);
        if (string.IsNullOrEmpty(id))
            return null;
        await using var db = contexts.CreateDbContext();
        var client = await db.AutomationClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, context.RequestAborted);
        return client is { RevokedAt: null } ? client : null;
    }
}
