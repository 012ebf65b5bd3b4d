using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Warden.Domain.Audit;
using Warden.Infrastructure.Hosting;

namespace Warden.Infrastructure.AgentIdentity;

internal static class TokenThrottleGateExtensions
{
    public static IApplicationBuilder UseTokenThrottle(this IApplicationBuilder app) => app.UseMiddleware<TokenThrottleGate>();
}

/// <summary>
/// Stands before OpenIddict on <c>POST /connect/token</c>: while a client id or the source address
/// waits out a backoff or a lockout, every attempt is refused with 429 and Retry-After before any
/// secret is checked, so the right secret during a lockout is refused as well. The refusal is a
/// problem document that also carries the OAuth <c>error</c> field for OAuth clients.
/// </summary>
internal sealed class TokenThrottleGate(RequestDelegate next, CredentialThrottle throttle, CredentialFailureAudit audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(AgentApi.TokenEndpoint, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var clientId = await ClientIdOfAsync(context.Request);
        var address = context.Connection.RemoteIpAddress;
        var verdict = throttle.Check(clientId, address);
        if (verdict.IsAllowed)
        {
            await next(context);
            return;
        }

        var retryAfter = verdict.RetryAfterSeconds(throttle.Clock.GetUtcNow());
        audit.Metrics.TokenFailed("throttled");
        await audit.RecordAsync(AuditActor.System, TokenAudit.Throttled, clientId, new
        {
            clientId = CredentialFailureAudit.Truncate(clientId),
            address = address?.ToString(),
            lockedOut = verdict.LockedOut,
            retryAfterSeconds = retryAfter,
        });
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, ApiProblemTypes.TokenThrottled.Code, ApiProblemTypes.TokenThrottled.Title,
            $"Too many failed attempts for this client or from this address. Retry after {retryAfter} seconds.",
            new Dictionary<string, object?>
            {
                ["error"] = "temporarily_unavailable",
                ["error_description"] = $"Too many failed attempts. Retry after {retryAfter} seconds.",
                ["retryAfterSeconds"] = retryAfter,
            }).ExecuteAsync(context);
    }

    // The id the attempt claims (form, Basic header or an assertion's subject), checked or not: the throttle counts guesses.
    private static async Task<string?> ClientIdOfAsync(HttpRequest request)
    {
        if (request.Headers.Authorization.ToString() is { } header && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return Uri.UnescapeDataString((colon < 0 ? decoded : decoded[..colon]).Replace('+', ' '));
            }
            catch (FormatException)
            {
                return null;
            }
        }
        if (!request.HasFormContentType)
            return null;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return null;
        }
        if (form["client_id"].ToString() is { Length: > 0 } id)
            return id;
        if (form["client_assertion"].ToString() is { Length: > 0 } assertion)
        {
            var handler = new JsonWebTokenHandler();
            return handler.CanReadToken(assertion) ? handler.ReadJsonWebToken(assertion).Subject : null;
        }
        return null;
    }
}
