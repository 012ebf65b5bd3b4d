using Microsoft.Extensions.Options;

namespace Warden.Infrastructure.Hosting;

/// <summary>
/// The console's circuit (<c>/_blazor</c>: negotiate, WebSocket, long polling) is opened only from
/// Warden's own pages: a browser always names the page's origin, and a foreign one is refused with
/// 403, so another site cannot drive a signed-in officer's circuit with their cookie.
/// </summary>
internal sealed class BlazorOriginCheck(RequestDelegate next, IOptions<EdgeOptions> options)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/_blazor") && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !IsOwn(context.Request, origin))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The console's circuit is opened only from Warden's own pages.", context.RequestAborted);
            return;
        }
        await next(context);
    }

    private bool IsOwn(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase) || _allowed.Contains(origin);
}
