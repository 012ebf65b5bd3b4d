using System.Net;
using System.Text.Json;

namespace Warden.Client;

/// <summary>Turns an unsuccessful answer of the agent API into the exception for its problem type.</summary>
internal static class ProblemReader
{
    public static async Task<WardenException> ToExceptionAsync(HttpResponseMessage response, TimeProvider clock, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return new WardenException(new WardenProblem(null, response.ReasonPhrase, status, Shorten(body)));
        }
        if (root.ValueKind != JsonValueKind.Object)
            return new WardenException(new WardenProblem(null, response.ReasonPhrase, status, Shorten(body)));

        var retryAfter = RetryAfter.Of(response, clock);
        // A rate-limited ask is a recorded decision (deny, rate_limited) sent with 429.
        if (response.StatusCode == HttpStatusCode.TooManyRequests && root.TryGetProperty("outcome", out _))
        {
            var decision = root.Deserialize<WardenDecision>(WardenJson.Options);
            var detail = decision?.Explain() ?? "rate limited";
            return new WardenRateLimitedException(new WardenProblem(WardenProblem.TypePrefix + "rate-limited", "Rate limited", status, detail), retryAfter, decision);
        }

        var problem = new WardenProblem(Text(root, "type"), Text(root, "title") ?? response.ReasonPhrase, status, Text(root, "detail"));
        return problem.Code switch
        {
            "contained" => new WardenContainedException(problem),
            "rate-limited" => new WardenRateLimitedException(problem, retryAfter),
            "parameters-invalid" => new WardenSchemaViolationException(problem, SchemaErrors(root)),
            "invalid-request" or "unsupported-media-type" or "request-too-large" => new WardenInvalidRequestException(problem),
            "decision-unavailable" => new WardenUnavailableException(problem),
            "token-refused" or "unknown-agent" => new WardenTokenRefusedException(problem),
            "idempotency-conflict" => new WardenIdempotencyConflictException(problem),
            "not-found" => new WardenNotFoundException(problem),
            "grant-invalid" => new WardenGrantRefusedException(problem, WardenGrantRefusal.Invalid),
            "grant-mismatch" => new WardenGrantRefusedException(problem, WardenGrantRefusal.Mismatch),
            "grant-expired" => new WardenGrantRefusedException(problem, WardenGrantRefusal.Expired),
            "grant-used" => new WardenGrantRefusedException(problem, WardenGrantRefusal.Used),
            "grant-revoked" => new WardenGrantRefusedException(problem, WardenGrantRefusal.Revoked),
            "grant-not-usable" => new WardenGrantRefusedException(problem, WardenGrantRefusal.NotUsable),
            _ when response.StatusCode == HttpStatusCode.Unauthorized => new WardenTokenRefusedException(problem),
            _ when response.StatusCode == HttpStatusCode.TooManyRequests => new WardenRateLimitedException(problem, retryAfter),
            _ => new WardenException(problem),
        };
    }

    private static List<WardenSchemaError> SchemaErrors(JsonElement root) =>
        root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? errors.EnumerateArray()
                .Select(e => new WardenSchemaError(Text(e, "path") ?? "$", Text(e, "message") ?? string.Empty))
                .ToList()
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
