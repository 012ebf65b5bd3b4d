using Microsoft.AspNetCore.Authentication;

namespace Warden.Infrastructure.AgentIdentity;

internal static class AgentApiAuthenticationExtensions
{
    /// <summary>
    /// Authentication for the console as ASP.NET Core does it; none up front on the agent API and the
    /// other paths agents call with a bearer token, <paramref name="agentPaths"/> (see <see cref="AgentApiAuthentication"/>).
    /// </summary>
    public static IApplicationBuilder UseWardenAuthentication(this IApplicationBuilder app, params PathString[] agentPaths)
    {
        // This is the app's authentication middleware. UseAuthentication leaves this mark, without which
        // WebApplication adds its own at the very start of the pipeline (before the token throttle,
        // and again on the agent API).
        app.Properties[AuthenticationSetKey] = true;
        return app.UseMiddleware<AgentApiAuthentication>((PathString[])["/api", .. agentPaths]);
    }

    private const string AuthenticationSetKey = "__AuthenticationMiddlewareSet";
}

/// <summary>
/// ASP.NET Core's authentication middleware, except on <c>/api/*</c> and the other agent paths the app
/// names (the MCP gateway's). There
/// every route's policy names the bearer scheme and nothing else (<see cref="AgentApi.AuthenticationScheme"/>,
/// which the gateway's MCP scheme forwards to), so the middleware's
/// own work is wasted on each agent call: authenticating the console's cookie, and offering the request
/// to every scheme that handles requests (OpenIddict's server answers only <c>/connect/token</c> and its
/// discovery documents). An API request therefore starts anonymous and is authenticated once, by its
/// route's policy, with the bearer token only; a console cookie never reaches the agent API. The one
/// per-request step the bearer scheme needs, OpenIddict validation's, runs when a token is not already
/// known (<see cref="AgentBearerHandler"/>).
/// </summary>
internal sealed class AgentApiAuthentication(RequestDelegate next, IAuthenticationSchemeProvider schemes, PathString[] agentPaths)
{
    private static readonly object DeferredKey = new();

    private readonly AuthenticationMiddleware _console = new(next, schemes);

    /// <summary>
    /// Whether this request's authentication was left to its route (an agent API request), and not yet
    /// prepared: true once per request, so the caller runs OpenIddict validation's per-request step once.
    /// </summary>
    public static bool Deferred(HttpContext context) => context.Items.Remove(DeferredKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (!IsAgentPath(context.Request.Path))
            return _console.Invoke(context);
        context.Features.Set<IAuthenticationFeature>(new AuthenticationFeature
        {
            OriginalPath = context.Request.Path,
            OriginalPathBase = context.Request.PathBase,
        });
        context.Items[DeferredKey] = true;
        return next(context);
    }

    private bool IsAgentPath(PathString path)
    {
        foreach (var agentPath in agentPaths)
        {
            if (path.StartsWithSegments(agentPath, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
