using System.Text.Json.Serialization;
using OpenIddict.Abstractions;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;
using P = Warden.Infrastructure.Hosting.ApiProblemTypes;

namespace Warden.Features.Decisions.Grants;

/// <summary>
/// <c>/api/v1/grants</c>: the public key set tools verify grants with offline, and single-use
/// redemption for tool clients (contract: docs/grants.md).
/// </summary>
public static class GrantEndpoints
{
    public const string KeysPath = "/api/v1/grants/keys";
    public const string RedeemPath = "/api/v1/grants/redeem";

    public static IEndpointRouteBuilder MapGrantEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(KeysPath, Keys).AllowAnonymous().WithTags("Grants")
            .WithName("GetGrantKeys").WithSummary("The public keys grants are signed with (a JSON Web Key Set); public and cacheable.")
            .WithDescription("Tools verify grants offline with these keys (contract: docs/grants.md): the key named by kid, typ warden-grant+jwt, " +
                "aud warden-tools, exp/nbf with at most 30 s skew, and digest equal to the digest of the call about to run.")
            .Produces<GrantKeySet>(StatusCodes.Status200OK);
        app.MapPost(RedeemPath, RedeemAsync).RequireAuthorization(ToolApi.Policy).WithTags("Grants")
            .WithName("RedeemGrant").WithSummary("A tool redeems a grant once, just before running the call it was given for.")
            .WithDescription("For tool clients: automation clients created with the grants scope. The first redemption answers the decided call; " +
                "any other is refused with a problem naming why.")
            .DescribesBody<GrantRedemptionBody>(DecisionEndpoints.JsonType)
            .Produces<GrantRedemptionResponse>(StatusCodes.Status200OK)
            .ProducesProblemTypes(P.InvalidRequest, P.UnsupportedMediaType, P.RequestTooLarge, P.TokenRefused, P.InsufficientScope, P.RateLimited,
                P.GrantInvalid, P.GrantMismatch, P.GrantExpired, P.GrantUsed, P.GrantRevoked, P.DecisionUnavailable);
        return app;
    }

    private static IResult Keys(HttpContext context, GrantKeys keys, GrantIssuer issuer)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Ok(new GrantKeySet(issuer.Current, [.. keys.All.Select(k => k.ToJwk())]));
    }

    private static async Task<IResult> RedeemAsync(HttpContext context, GrantRedemptions redemptions, AgentCallLimiter limiter)
    {
        if (limiter.Refusal(context, context.User.GetClaim(OpenIddictConstants.Claims.Subject) ?? string.Empty) is { } limited)
            return limited;
        var body = await DecisionEndpoints.ReadJsonAsync<GrantRedemptionBody>(context);
        if (body.Problem is not null)
            return body.Problem;
        var result = await redemptions.RedeemAsync(context.User, body.Value!, context.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : DecisionEndpoints.ToProblem(result.Error);
    }
}

/// <summary>A JSON Web Key Set (RFC 7517) with the issuer the grants name.</summary>
public sealed record GrantKeySet(string Issuer, IReadOnlyList<GrantJsonWebKey> Keys);

/// <summary>A public key as a JSON Web Key: EC (crv, x, y) for ES256 or RSA (n, e) for RS256.</summary>
public sealed record GrantJsonWebKey(
    string Kty,
    string Use,
    string Alg,
    string Kid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Crv = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? N = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? E = null);
