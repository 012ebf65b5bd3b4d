using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;
using Warden.Domain;
using Warden.Domain.Decisions;
using Warden.Features.Containment;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;
using P = Warden.Infrastructure.Hosting.ApiProblemTypes;

namespace Warden.Features.Decisions;

/// <summary>
/// Agent API v1 (DESIGN section 6). Only bearer tokens authenticate here, never cookies; each call
/// passes the token gate (suspended, contained or retired agents are refused at once).
/// </summary>
public static class DecisionEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxWaitSeconds = 30;
    internal const string JsonType = "application/json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = false };

    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(AgentApi.Policy)
            .WithTags("Agent API");
        api.MapPost("/decisions", DecideAsync).WithName("RequestDecision").WithSummary("Ask before acting: allow, deny or pending.")
            .WithDescription("Same Idempotency-Key and body: the same answer (with a grant for the same decision); same key, other body: 409. " +
                "An agent over its rate limit gets 429 with a deny decision (reason rate_limited) and Retry-After. " +
                "With \"dryRun\": true the request is decided but nothing is reserved: the answer (state dry_run, never a grant or an " +
                "approval) says what would happen and why, counts toward no limit or budget, and is recorded in the audit log only; " +
                "dry runs are subject to the API's call limit (429 rate_limited).")
            .DescribesBody<DecisionRequestBody>(JsonType)
            .Produces<DecisionResponse>(StatusCodes.Status200OK).Produces<DecisionResponse>(StatusCodes.Status429TooManyRequests)
            .ProducesProblemTypes(P.InvalidRequest, P.ParametersInvalid, P.UnsupportedMediaType, P.RequestTooLarge, P.TokenRefused,
                P.UnknownAgent, P.AgentSettingsUnverified, P.Contained, P.IdempotencyConflict, P.DecisionUnavailable, P.PolicyUnverified, P.RateLimited);
        api.MapGet("/decisions/{id}", GetAsync).WithName("GetDecision").WithSummary("Current state of a decision; long-polls while pending with waitSeconds.")
            .WithDescription($"waitSeconds (0 to {MaxWaitSeconds}) holds the call while the decision is pending and answers as soon as it changes. " +
                "Once officers decide a held action, reasons keep why it was held, then one approval_vote per vote (voter, verdict, castAt and the " +
                "officer's own words in message), and last the outcome (approved, approval_denied, approval_expired or approval_cancelled).")
            .Produces<DecisionResponse>(StatusCodes.Status200OK)
            .ProducesProblemTypes(P.InvalidRequest, P.TokenRefused, P.Contained, P.RateLimited, P.NotFound, P.DecisionUnavailable);
        api.MapPost("/decisions/{id}/outcome", ReportOutcomeAsync).WithName("ReportOutcome").WithSummary("Report what happened, with the single-use grant.")
            .DescribesBody<OutcomeReportBody>(JsonType)
            .Produces<OutcomeResponse>(StatusCodes.Status200OK)
            .ProducesProblemTypes(P.InvalidRequest, P.UnsupportedMediaType, P.RequestTooLarge, P.TokenRefused, P.Contained, P.RateLimited,
                P.NotFound, P.GrantInvalid, P.GrantUsed, P.GrantRevoked, P.GrantNotUsable, P.GrantExpired, P.DecisionUnavailable);
        api.MapPost("/decisions/{id}/output", ReviewOutputAsync).WithName("ReviewOutput")
            .WithSummary("Before releasing an allowed action's output, have it screened: allow, deny or pending.")
            .DescribesBody<OutputReviewBody>(JsonType)
            .Produces<DecisionResponse>(StatusCodes.Status200OK)
            .ProducesProblemTypes(P.InvalidRequest, P.UnsupportedMediaType, P.RequestTooLarge, P.TokenRefused, P.UnknownAgent, P.Contained,
                P.RateLimited, P.NotFound, P.DecisionUnavailable);
        api.MapGet("/agents/me", AgentSelfEndpoint.GetAsync).WithName("GetOwnAgent").WithSummary("The calling agent's profile, level, limits and containment state.")
            .Produces<AgentSelfResponse>(StatusCodes.Status200OK)
            .ProducesProblemTypes(P.TokenRefused, P.UnknownAgent, P.AgentSettingsUnverified, P.Contained, P.RateLimited);
        return app;
    }

    private static async Task<IResult> DecideAsync(
        HttpContext context, DecisionPipeline decisions, DryRuns dryRuns, AgentTokenGate gate, AgentCallLimiter limiter, TimeProvider clock,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        var agent = Authenticate(context, gate);
        if (agent.IsFailure)
            return Refused(agent.Error);
        var body = await ReadJsonAsync(context, DecisionJson.Default.DecisionRequestBody);
        if (body.Problem is not null)
            return body.Problem;
        if (body.Value!.DryRun == true)
        {
            // A dry run counts against no limit of the policy, so the API's own call limit bounds it.
            if (limiter.Refusal(context, agent.Value) is { } limited)
                return limited;
            var tried = await dryRuns.TryAsync(agent.Value, body.Value, actor: null, context.RequestAborted);
            return tried.IsSuccess ? Results.Ok(tried.Value) : ToProblem(tried.Error);
        }

        var result = await decisions.DecideAsync(agent.Value, body.Value!, idempotencyKey, context.RequestAborted);
        if (result.IsFailure)
            return ToProblem(result.Error);
        var answer = result.Value;
        if (answer.Reasons.Any(r => r.Code == DecisionCodes.RateLimited))
        {
            // The rate window is the calendar minute: the agent may try again when it turns.
            var retryAfter = 60 - clock.GetUtcNow().Second;
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(answer, DecisionJson.Default.DecisionResponse, statusCode: StatusCodes.Status429TooManyRequests);
        }
        return Results.Json(answer, DecisionJson.Default.DecisionResponse);
    }

    private static async Task<IResult> GetAsync(
        string id, int? waitSeconds, HttpContext context, DecisionStatus decisions, AgentTokenGate gate, AgentCallLimiter limiter)
    {
        var agent = Authenticate(context, gate);
        if (agent.IsFailure)
            return Refused(agent.Error);
        if (limiter.Refusal(context, agent.Value) is { } limited)
            return limited;
        if (waitSeconds is < 0 or > MaxWaitSeconds)
            return ApiProblems.InvalidRequest($"waitSeconds is 0 to {MaxWaitSeconds}.");
        var result = await decisions.GetAsync(agent.Value, id, TimeSpan.FromSeconds(waitSeconds ?? 0), context.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : ToProblem(result.Error);
    }

    private static Task<IResult> ReportOutcomeAsync(
        string id, HttpContext context, OutcomeReports outcomes, AgentTokenGate gate, AgentCallLimiter limiter) =>
        OnDecisionAsync<OutcomeReportBody, OutcomeResponse>(context, gate, limiter,
            (agent, body, cancellationToken) => outcomes.ReportAsync(agent, id, body, cancellationToken));

    private static Task<IResult> ReviewOutputAsync(
        string id, HttpContext context, OutputReviews reviews, AgentTokenGate gate, AgentCallLimiter limiter) =>
        OnDecisionAsync<OutputReviewBody, DecisionResponse>(context, gate, limiter,
            (agent, body, cancellationToken) => reviews.ReviewAsync(agent, id, body, cancellationToken));

    /// <summary>A call about one of the agent's decisions with a JSON body: token gate, call limit, body, then the service.</summary>
    private static async Task<IResult> OnDecisionAsync<TBody, TResult>(
        HttpContext context, AgentTokenGate gate, AgentCallLimiter limiter, Func<string, TBody, CancellationToken, Task<Result<TResult>>> call)
        where TBody : class
    {
        var agent = Authenticate(context, gate);
        if (agent.IsFailure)
            return Refused(agent.Error);
        if (limiter.Refusal(context, agent.Value) is { } limited)
            return limited;
        var body = await ReadJsonAsync<TBody>(context);
        if (body.Problem is not null)
            return body.Problem;
        var result = await call(agent.Value, body.Value!, context.RequestAborted);
        return result.IsSuccess ? Results.Ok(result.Value) : ToProblem(result.Error);
    }

    internal static Result<string> Authenticate(HttpContext context, AgentTokenGate gate)
    {
        var check = gate.Check(context.User);
        if (check.IsAllowed)
            return check.AgentId!;
        if (check.Refusal == AgentTokenRefusal.Contained)
        {
            // A contained agent's request counts towards its trip's time-to-contain.
            var registry = context.RequestServices.GetRequiredService<ContainmentRegistry>();
            registry.NoteRefusal(check.AgentId!, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
            return new Error(ContainedCode, registry.ReasonFor(check.AgentId!) ?? "The agent is contained; its tokens are refused.");
        }
        return new Error("token.refused", check.Refusal switch
        {
            AgentTokenRefusal.AgentNotActive => "The agent is not active; its tokens are refused.",
            AgentTokenRefusal.TokenInvalidated => "This token was invalidated; get a new one.",
            _ => "The bearer token is not an agent token for this API.",
        });
    }

    internal const string ContainedCode = "token.contained";

    /// <summary>The answer to a refused token: 403 <c>contained</c> for a contained agent, otherwise 401.</summary>
    internal static IResult Refused(Error error) => error.Code == ContainedCode
        ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "contained", "Agent contained", error.Message)
        : ApiProblems.Unauthorized("token-refused", error.Message);

    internal static Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext context) where T : class =>
        ReadJsonAsync<T>(context, type: null);

    /// <param name="type">The generated serializer of <typeparamref name="T"/>; null reads it with the reflection serializer.</param>
    internal static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T>? type) where T : class
    {
        if (!context.Request.HasJsonContentType())
            return (null, ApiProblems.UnsupportedMediaType());
        if (context.Request.ContentLength > MaxBodyBytes)
            return (null, ApiProblems.TooLarge(MaxBodyBytes));

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var read = 0;
            int chunk;
            while (read <= MaxBodyBytes && (chunk = await context.Request.Body.ReadAsync(buffer.AsMemory(read, MaxBodyBytes + 1 - read), context.RequestAborted)) > 0)
                read += chunk;
            if (read > MaxBodyBytes)
                return (null, ApiProblems.TooLarge(MaxBodyBytes));
            var value = type is null ? JsonSerializer.Deserialize<T>(buffer.AsSpan(0, read), Json) : JsonSerializer.Deserialize(buffer.AsSpan(0, read), type);
            return value is null ? (null, ApiProblems.InvalidRequest("The body is empty; send a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : string.Empty;
            return (null, ApiProblems.InvalidRequest($"The body is not valid JSON for this call{where}."));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // One line per violation, "path: message"; the problem lists them all as "errors" too.
    private static IResult SchemaProblem(string lines)
    {
        var errors = lines.Split('\n').Select(line =>
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            return colon < 0 ? new { path = "$", message = line } : new { path = line[..colon], message = line[(colon + 2)..] };
        }).ToList();
        return ApiProblems.Problem(StatusCodes.Status400BadRequest, "parameters-invalid", "Parameters fail the tool's schema",
            string.Join("; ", errors.Select(e => $"{e.path}: {e.message}")), new Dictionary<string, object?> { ["errors"] = errors });
    }

    internal static IResult ToProblem(Error error) => error.Code switch
    {
        DecisionErrors.InvalidCode => ApiProblems.InvalidRequest(error.Message),
        DecisionErrors.ContainedCode => Refused(new Error(ContainedCode, error.Message)),
        DecisionErrors.SchemaCode => SchemaProblem(error.Message),
        "decision.idempotency_conflict" => ApiProblems.IdempotencyConflict(),
        "decision.unknown_agent" => ApiProblems.Unauthorized("unknown-agent", error.Message),
        "decision.policy_unverified" => ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "policy-unverified", "No verified policy in force", error.Message),
        "decision.agent_settings_unverified" => ApiProblems.Problem(StatusCodes.Status403Forbidden, "agent-settings-unverified", "Agent settings changed outside Warden", error.Message),
        "decision.not_found" => ApiProblems.NotFound(error.Message),
        "decision.grant_invalid" => ApiProblems.Problem(StatusCodes.Status403Forbidden, "grant-invalid", "Grant refused", error.Message),
        "decision.grant_mismatch" => ApiProblems.Problem(StatusCodes.Status403Forbidden, "grant-mismatch", "Grant for another call", error.Message),
        "decision.tool_client_refused" => ApiProblems.Unauthorized("token-refused", error.Message),
        "decision.insufficient_scope" => ApiProblems.Problem(StatusCodes.Status403Forbidden, "insufficient-scope", "Not a tool client", error.Message),
        "decision.grant_revoked" => ApiProblems.Problem(StatusCodes.Status409Conflict, "grant-revoked", "Grant revoked", error.Message),
        "decision.grant_used" => ApiProblems.Problem(StatusCodes.Status409Conflict, "grant-used", "Grant already used", error.Message),
        "decision.grant_expired" => ApiProblems.Problem(StatusCodes.Status410Gone, "grant-expired", "Grant expired", error.Message),
        "decision.grant_not_usable" => ApiProblems.Problem(StatusCodes.Status409Conflict, "grant-not-usable", "Decision not executable", error.Message),
        "preview.not_pending" => ApiProblems.Problem(StatusCodes.Status409Conflict, "preview-not-pending", "Preview cannot change", error.Message),
        _ => ApiProblems.Unavailable(),
    };
}
