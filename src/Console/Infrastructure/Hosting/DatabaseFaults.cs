using Warden.Infrastructure.Storage;

namespace Warden.Infrastructure.Hosting;

/// <summary>
/// A request that fails because the database does not answer gets a 503 problem (RFC 9457,
/// <c>urn:warden:problem:database-unavailable</c>) with Retry-After: never a 500, never an HTML page,
/// and never an allow. Browsers asking for a page still get the error page.
/// </summary>
internal sealed partial class DatabaseFaults(RequestDelegate next, ILogger<DatabaseFaults> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (DatabaseFault.Is(ex) && !context.Response.HasStarted && !WantsPage(context.Request))
        {
            LogUnavailable(logger, context.Request.Method, context.Request.Path, ex.GetBaseException().Message);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = ApiProblems.DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiProblems.DatabaseUnavailable().ExecuteAsync(context);
        }
    }

    private static bool WantsPage(HttpRequest request) =>
        !ApiPaths.Includes(request.Path)
        && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database did not answer ({Reason}).")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, string reason);
}
