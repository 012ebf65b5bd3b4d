namespace Warden.Infrastructure.Hosting;

/// <summary>
/// The stable problem types of the agent API (RFC 9457). Clients branch on <c>type</c>; <c>detail</c>
/// is for people.
/// </summary>
public static class ApiProblems
{
    public const string TypePrefix = "urn:warden:problem:";

    public static IResult Problem(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: status, type: TypePrefix + code, title: title, detail: detail, extensions: extensions);

    public static IResult InvalidRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status400BadRequest, "invalid-request", "The request is not valid", detail, extensions);

    public static IResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Send JSON",
            "The body must be JSON with Content-Type: application/json.");

    public static IResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "request-too-large", "The request is too large",
            $"Request bodies are limited to {limit / 1024} KB.");

    public static IResult Unauthorized(string code, string detail) =>
        Problem(StatusCodes.Status401Unauthorized, code, "Not authenticated", detail);

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static IResult IdempotencyConflict() =>
        Problem(StatusCodes.Status409Conflict, "idempotency-conflict", "Idempotency key reused",
            "This Idempotency-Key was used with a different request body. Use a new key for a new request.");

    /// <summary>Seconds a client should wait before retrying after <see cref="DatabaseUnavailable"/>.</summary>
    public const int DatabaseRetryAfterSeconds = 5;

    public static IResult DatabaseUnavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "database-unavailable", "Database unavailable",
            "Warden's database did not answer in time, so nothing was done and nothing is allowed. Retry in a few seconds.");

    /// <summary>An error nothing expected: the request did nothing and allowed nothing; the log has the rest.</summary>
    public static IResult Unexpected(HttpContext context) =>
        Problem(StatusCodes.Status500InternalServerError, ApiProblemTypes.InternalError.Code, ApiProblemTypes.InternalError.Title,
            "Warden failed while handling this request, so nothing was done and nothing is allowed. The error is in Warden's log under this trace id.",
            new Dictionary<string, object?> { ["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier });

    public static IResult Unavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "decision-unavailable", "No decision could be made",
            "Warden could not decide or record this request, so it is not allowed. Retry with the same Idempotency-Key.");
}
