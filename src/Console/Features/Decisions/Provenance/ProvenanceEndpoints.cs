using Warden.Features.Decisions.Grants;
using Warden.Infrastructure.Hosting;
using P = Warden.Infrastructure.Hosting.ApiProblemTypes;

namespace Warden.Features.Decisions.Provenance;

/// <summary>
/// <c>POST /api/v1/outputs/verify</c>: a recipient of an output checks its provenance. Anonymous, like
/// the key set it is checked with (a recipient is rarely a Warden client), limited per address.
/// </summary>
public static class ProvenanceEndpoints
{
    public const string VerifyPath = "/api/v1/outputs/verify";

    public static IEndpointRouteBuilder MapProvenanceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(VerifyPath, VerifyAsync).AllowAnonymous().WithTags("Grants")
            .WithName("VerifyOutputProvenance").WithSummary("Checks that an output was released by Warden exactly as given: a provenance token with the text or its digest.")
            .WithDescription("Anonymous. The answer says valid or not and why (reason: valid, malformed, wrong_type, unknown_key, wrong_algorithm, " +
                "bad_signature, digest_mismatch, not_on_record). The same check runs offline with the keys at " + GrantEndpoints.KeysPath +
                ": typ warden-provenance+jwt, aud warden-recipients, and digest equal to the SHA-256 (hex) of the released text in UTF-8.")
            .DescribesBody<ProvenanceCheckBody>(DecisionEndpoints.JsonType)
            .Produces<ProvenanceCheckResponse>(StatusCodes.Status200OK)
            .ProducesProblemTypes(P.InvalidRequest, P.UnsupportedMediaType, P.RequestTooLarge, P.RateLimited);
        return app;
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, ProvenanceVerification verification, AgentCallLimiter limiter)
    {
        if (limiter.Refusal(context, "address:" + context.Connection.RemoteIpAddress) is { } limited)
            return limited;
        var body = await DecisionEndpoints.ReadJsonAsync<ProvenanceCheckBody>(context);
        if (body.Problem is not null)
            return body.Problem;
        var result = await verification.VerifyAsync(body.Value!, context.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : DecisionEndpoints.ToProblem(result.Error);
    }
}
