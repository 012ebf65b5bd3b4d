using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.Autonomy;
using Warden.Infrastructure.Events;

namespace Warden.Features.Behaviour;

public static class BehaviourRegistration
{
    public static IServiceCollection AddBehaviourMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BehaviourOptions>()
            .Bind(configuration.GetSection(BehaviourOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Baselines.RateHorizonMinutes > 0 && o.Baselines.DenialWindow is > 0 and <= 64 && o.Baselines.UnusualHourShare is >= 0 and < 1,
                "Behaviour:Baselines needs a positive rate horizon, a denial window of 1 to 64 decisions and an unusual-hour share below 1.")
            .ValidateOnStart();
        services.AddSingleton<BehaviourMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<BehaviourMonitor>());
        services.AddEventHandler<DecisionCommitted, BehaviourMonitor>();
        services.AddScoped<BehaviourService>();
        services.AddSingleton<IAnomalyExplanations, AnomalyExplanations>();
        services.AddAgentPageSection<AgentBehaviourSection>(AgentPageSlot.Sections, 30, page => new Dictionary<string, object>
        {
            [nameof(AgentBehaviourSection.AgentId)] = page.Agent.Summary.Id,
        });
        return services;
    }
}
