using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using OpenIddict.Abstractions;
using Warden.Infrastructure.AgentIdentity;

namespace Warden.Features.Gateway;

/// <summary>
/// Warden's MCP endpoint (Streamable HTTP, stateless): agents connect with the bearer token of the
/// agent API. An unauthenticated request gets 401 with the MCP authorization spec's pointer to the
/// protected-resource metadata (<c>/.well-known/oauth-protected-resource</c>), which names Warden as
/// the authorization server of its token endpoint. Every request passes the token gate first.
/// </summary>
public static class GatewayEndpoint
{
    public const string Policy = "McpGateway";

    public static IServiceCollection AddGatewayEndpoint(this IServiceCollection services)
    {
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "warden-gateway", Title = "Warden MCP gateway", Version = "1.0" };
                options.ServerInstructions = "Every tool call is decided by Warden first: it may be denied, or held until a security officer approves it.";
            })
            .WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateless)
            .WithMessageFilters(filters => filters.AddIncomingFilter(next => async (context, cancellationToken) =>
            {
                // A refused agent's session ends here: initialize, list and call alike.
                if (context.JsonRpcMessage is JsonRpcRequest)
                    context.Services!.GetRequiredService<GatewayAgents>().Require(context.User);
                else if (context.Services!.GetRequiredService<AgentTokenGate>().Check(context.User ?? new()) is { IsAllowed: false })
                    return;
                await next(context, cancellationToken);
            }))
            .WithListToolsHandler(async (context, cancellationToken) =>
            {
                var agent = context.Services!.GetRequiredService<GatewayAgents>().Require(context.User);
                return await context.Services!.GetRequiredService<GatewayTools>().ListAsync(agent, cancellationToken);
            })
            .WithCallToolHandler(async (context, cancellationToken) =>
            {
                var agent = context.Services!.GetRequiredService<GatewayAgents>().Require(context.User);
                return await context.Services!.GetRequiredService<GatewayCalls>().CallAsync(agent, context.Params!, cancellationToken);
            });

        services.AddAuthentication().AddMcp(options =>
        {
            // The MCP scheme only challenges (with the metadata pointer); the agent API's validation authenticates.
            options.ForwardAuthenticate = AgentApi.AuthenticationScheme;
            options.ResourceMetadata = new() { ResourceName = "Warden MCP gateway", BearerMethodsSupported = ["header"] };
            options.Events.OnResourceMetadataRequest = context =>
            {
                var identity = context.HttpContext.RequestServices.GetRequiredService<IOptions<AgentIdentityOptions>>().Value;
                var request = context.HttpContext.Request;
                var issuer = identity.Issuer?.ToString() ?? $"{request.Scheme}://{request.Host}{request.PathBase}/";
                context.ResourceMetadata!.AuthorizationServers = [issuer];
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(McpAuthenticationDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.HasAudience(AgentApi.Audience)));
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayEndpoint(this IEndpointRouteBuilder app)
    {
        var path = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.Path;
        app.MapMcp(path).RequireAuthorization(Policy).WithTags("MCP gateway");
        return app;
    }
}
