using Warden.Features.Administration;
using Warden.Features.Agents;
using Warden.Features.Dashboard;
using Warden.Features.Setup;

namespace Warden.Features;

public static class FeatureRegistration
{
    public static IServiceCollection AddWardenFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryOptions>()
            .Bind(configuration.GetSection(DirectoryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<DashboardService>();
        services.AddScoped<UserAdministrationService>();
        services.AddScoped<FirstAdministratorService>();
        services.AddScoped<AgentDirectoryService>();
        services.AddScoped<AgentRegistryService>();
        return services;
    }
}
