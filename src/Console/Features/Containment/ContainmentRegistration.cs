namespace Warden.Features.Containment;

public static class ContainmentRegistration
{
    /// <summary>Breakers, containments and automation clients.</summary>
    public static IServiceCollection AddContainment(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContainmentOptions>(o =>
        {
            // Configured breakers replace the defaults rather than adding to them.
            var rules = configuration.GetSection($"{ContainmentOptions.SectionName}:Breakers").Get<List<BreakerRule>>();
            if (rules is { Count: > 0 })
                o.Breakers = rules;
        });
        services.AddSingleton<CircuitBreakers>();
        services.AddSingleton<ContainmentRegistry>();
        services.AddSingleton<ContainmentEngine>();
        services.AddScoped<ContainmentService>();
        services.AddScoped<AutomationClientService>();
        services.AddHostedService<ContainmentMonitor>();
        return services;
    }
}
