namespace Warden.Infrastructure.Hosting;

/// <summary>One stable problem type of the API: its code, the HTTP status it comes with and what it means.</summary>
public sealed record ApiProblemType(string Code, int Status, string Title, string Meaning)
{
    public string Uri => ApiProblems.TypePrefix + Code;
}

/// <summary>
/// Every problem type the API answers with, as the OpenAPI document lists them. A new code used with
/// <see cref="ApiProblems"/> belongs here too (a test compares the sources with this list).
/// </summary>
public static class ApiProblemTypes
{
    public static readonly ApiProblemType InvalidRequest = new("invalid-request", 400, "The request is not valid",
        "The body, a parameter or a field is missing, malformed or out of range; `detail` says which.");
    public static readonly ApiProblemType ParametersInvalid = new("parameters-invalid", 400, "Parameters fail the tool's schema",
        "The decision's `parameters` fail the JSON Schema registered for the tool; `errors` lists each violation by JSON path.");
    public static readonly ApiProblemType TokenRefused = new("token-refused", 401, "Not authenticated",
        "The bearer token was invalidated (suspension, retirement, credential revocation), is not meant for this API, or its client was revoked. Get a new token.");
    public static readonly ApiProblemType UnknownAgent = new("unknown-agent", 401, "Not authenticated",
        "The token does not belong to a registered agent.");
    public static readonly ApiProblemType Contained = new("contained", 403, "Agent contained",
        "The agent (or its owner, segment, or everything) is contained: every call is refused until officers release it.");
    public static readonly ApiProblemType AgentSettingsUnverified = new("agent-settings-unverified", 403, "Agent settings changed outside Warden",
        "The agent's stored tools, scopes or limits differ from the last change recorded through Warden (an edit in the database), so every request is refused until an officer saves the agent again.");
    public static readonly ApiProblemType InsufficientScope = new("insufficient-scope", 403, "Not a tool client",
        "Only an automation client created with the `grants` scope may redeem grants; an agent's token never may.");
    public static readonly ApiProblemType GrantInvalid = new("grant-invalid", 403, "Grant refused",
        "The grant is forged, tampered with, signed by an unknown key, of another audience or type, malformed, or of another decision.");
    public static readonly ApiProblemType GrantMismatch = new("grant-mismatch", 403, "Grant for another call",
        "The grant is genuine but was given for another call: the digest (or tool, operation, resource) differs from the call about to run.");
    public static readonly ApiProblemType NotFound = new("not-found", 404, "Not found",
        "No such decision of the calling agent (another agent's decisions are never visible).");
    public static readonly ApiProblemType IdempotencyConflict = new("idempotency-conflict", 409, "Idempotency key reused",
        "The Idempotency-Key was used before with a different body; use a new key for a new request.");
    public static readonly ApiProblemType GrantUsed = new("grant-used", 409, "Grant already used",
        "The grant was already used: reported with an outcome (by the agent) or redeemed (by a tool). A grant is good for one execution.");
    public static readonly ApiProblemType GrantRevoked = new("grant-revoked", 409, "Grant revoked",
        "The agent was contained, suspended or had its credentials revoked after the grant was given (or the decision was cancelled); ask again.");
    public static readonly ApiProblemType GrantNotUsable = new("grant-not-usable", 409, "Decision not executable",
        "The decision is not allowed or approved (denied, pending, expired, cancelled), so it has no usable grant.");
    public static readonly ApiProblemType PreviewNotPending = new("preview-not-pending", 409, "Preview cannot change",
        "The decision is no longer waiting for approval (approved, denied, expired, cancelled, or never held), so its preview cannot change; ask for a new decision.");
    public static readonly ApiProblemType AlreadyContained = new("already-contained", 409, "Already contained",
        "The target is already contained.");
    public static readonly ApiProblemType GrantExpired = new("grant-expired", 410, "Grant expired",
        "The grant's short lifetime is over; ask for a new decision.");
    public static readonly ApiProblemType RequestTooLarge = new("request-too-large", 413, "The request is too large",
        "Request bodies are limited to 64 KB.");
    public static readonly ApiProblemType UnsupportedMediaType = new("unsupported-media-type", 415, "Send JSON",
        "The body must be JSON with Content-Type: application/json.");
    public static readonly ApiProblemType RateLimited = new("rate-limited", 429, "Too many calls",
        "Too many calls this minute; wait for the Retry-After seconds. (An over-limit decision is answered 429 with a deny decision instead.)");
    public static readonly ApiProblemType TokenThrottled = new("token-throttled", 429, "Too many failed attempts",
        "The token endpoint refuses this client id or source address for now after repeated failed authentications (backoff, then a " +
        "temporary lockout), the right secret included; wait for the Retry-After seconds. The body also carries the OAuth `error` field.");
    public static readonly ApiProblemType DecisionUnavailable = new("decision-unavailable", 503, "No decision could be made",
        "Warden could not decide or record the request, so it is not allowed (fail closed). Retry with the same Idempotency-Key.");
    public static readonly ApiProblemType PolicyUnverified = new("policy-unverified", 503, "No verified policy in force",
        "No published policy version matches both its hash and its publication event in the audit log, so every request is refused (fail closed) until an officer publishes one.");
    public static readonly ApiProblemType DatabaseUnavailable = new("database-unavailable", 503, "Database unavailable",
        "Warden's database did not answer in time (down, locked, full or restarting), so nothing was done and nothing is allowed. " +
        "Any endpoint may answer this; retry after the Retry-After seconds (with the same Idempotency-Key for a decision).");

    public static readonly ApiProblemType OAuthError = new("oauth-error", 400, "The token request was refused",
        "The token endpoint refused the request (400, or 401 for a client that could not be authenticated); `error` and `error_description` are the OAuth fields of RFC 6749 section 5.2. " +
        "An unknown client, a wrong secret or assertion and an inactive agent get the same `invalid_client` answer.");
    public static readonly ApiProblemType NotAuthenticated = new("not-authenticated", 401, "Not authenticated",
        "The call needs a bearer token of a client allowed on this API; get one at /connect/token.");
    public static readonly ApiProblemType Forbidden = new("forbidden", 403, "Not allowed",
        "The token is valid but not for this API (e.g. an agent's token on the containment API, which needs an automation client with the containment scope).");
    public static readonly ApiProblemType NoSuchRoute = new("no-such-route", 404, "No such endpoint",
        "No endpoint has this path; the API document at /openapi/v1.json lists them.");
    public static readonly ApiProblemType MethodNotAllowed = new("method-not-allowed", 405, "Method not allowed",
        "The endpoint exists but not with this HTTP method; the Allow header lists those it takes.");
    public static readonly ApiProblemType UriTooLong = new("uri-too-long", 414, "The URL is too long",
        "The path and query are longer than Warden accepts.");
    public static readonly ApiProblemType RequestFailed = new("request-failed", 400, "The request failed",
        "An error status without a more specific type; `detail` says what happened.");

    public static readonly ApiProblemType InternalError = new("internal-error", 500, "Warden failed on this request",
        "An error Warden did not expect, so nothing was done and nothing is allowed. Any endpoint may answer this; the traceId names it in Warden's log.");

    public static IReadOnlyList<ApiProblemType> All { get; } =
    [
        InvalidRequest, ParametersInvalid, TokenRefused, UnknownAgent, Contained, InsufficientScope, GrantInvalid, GrantMismatch,
        NotFound, IdempotencyConflict, GrantUsed, GrantRevoked, GrantNotUsable, PreviewNotPending, AlreadyContained, GrantExpired, RequestTooLarge,
        UnsupportedMediaType, RateLimited, TokenThrottled, DecisionUnavailable, DatabaseUnavailable, InternalError, AgentSettingsUnverified, PolicyUnverified,
        OAuthError, NotAuthenticated, Forbidden, NoSuchRoute, MethodNotAllowed, UriTooLong, RequestFailed,
    ];

    /// <summary>The type for an error status the framework answers with on its own.</summary>
    public static ApiProblemType ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => NotAuthenticated,
        403 => Forbidden,
        404 => NoSuchRoute,
        405 => MethodNotAllowed,
        413 => RequestTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        500 => InternalError,
        503 => DatabaseUnavailable,
        _ => RequestFailed with { Status = status },
    };
}
