using Warden.Features.Administration;
using Warden.Features.Dashboard;
using Warden.Features.Setup;

namespace Warden.Features;

public static class FeatureRegistration
{
    public static IServiceCollection AddWardenFeatures(this IServiceCollection services)
    {
        services.AddScoped<DashboardService>();
        services.AddScoped<UserAdministrationService>();
        services.AddScoped<FirstAdministratorService>();
        return services;
    }
}
