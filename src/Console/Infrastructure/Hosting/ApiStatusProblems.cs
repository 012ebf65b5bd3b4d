using Microsoft.Extensions.Options;

namespace Warden.Infrastructure.Hosting;

/// <summary>
/// On the machine paths (<see cref="ApiPaths"/>) every error is a problem document, including what
/// the framework answers on its own with an empty body (no route 404, wrong method 405, a body of the
/// wrong type 415, a refused token 401 or 403, a parameter that does not bind 400) and a request the
/// server cannot read (a malformed chunked body, a body too large, a URL too long).
/// </summary>
internal sealed partial class ApiStatusProblems(RequestDelegate next, IOptions<EdgeOptions> options, ILogger<ApiStatusProblems> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var api = ApiPaths.Includes(context.Request.Path);
        if (api && context.Request.Path.Value!.Length + context.Request.QueryString.Value?.Length > options.Value.MaxUrlLength)
        {
            await ForStatusAsync(context, StatusCodes.Status414UriTooLong, $"The path and query are limited to {options.Value.MaxUrlLength} characters.");
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // The request itself could not be read or bound (never a fault of Warden's): its own status, never a 500.
            LogBadRequest(logger, context.Request.Method, context.Request.Path, ex.StatusCode, ex.Message);
            context.Response.Clear();
            if (api)
                await ForStatusAsync(context, ex.StatusCode, ex.Message);
            else
                context.Response.StatusCode = ex.StatusCode;
            return;
        }
        if (api && !context.Response.HasStarted && context.Response.StatusCode >= 400
            && context.Response.ContentLength is null or 0 && string.IsNullOrEmpty(context.Response.ContentType))
            await ForStatusAsync(context, context.Response.StatusCode, null);
    }

    /// <summary>The problem document for an error status the framework (or the server) answers with.</summary>
    public static Task ForStatusAsync(HttpContext context, int status, string? detail)
    {
        var type = ApiProblemTypes.ForStatus(status);
        context.Response.StatusCode = status;
        return ApiProblems.Problem(status, type.Code, type.Title, detail ?? type.Meaning).ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {Status}: the request could not be read ({Reason}).")]
    private static partial void LogBadRequest(ILogger logger, string method, PathString path, int status, string reason);
}
