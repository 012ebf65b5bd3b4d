namespace Warden.Features.Gateway;

public static class GatewayRegistration
{
    /// <summary>The MCP gateway: upstreams and their connections, the calls agents make through it, and its console service.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<UpstreamSecrets>();
        services.AddSingleton<UpstreamConnections>();
        services.AddSingleton<GatewayCatalog>();
        services.AddSingleton<GatewayAgents>();
        services.AddSingleton<GatewayTools>();
        services.AddSingleton<GatewayCalls>();
        services.AddScoped<GatewayService>();
        services.AddGatewayEndpoint();
        return services;
    }
}
