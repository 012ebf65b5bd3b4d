using Warden.Features.Agents;

namespace Warden.Features.Decisions;

public static class DecisionRegistration
{
    /// <summary>The decision path and the agent API around it, and the activity section of the agent page.</summary>
    public static IServiceCollection AddDecisions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PublishedPolicy>();
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<ParameterSchemas>();
        services.AddSingleton<GrantTokens>();
        services.AddSingleton<DecisionJournal>();
        services.AddSingleton<DecisionService>();
        services.AddSingleton<KeyedLocks>();
        services.Configure<AgentApiOptions>(configuration.GetSection(AgentApiOptions.SectionName));
        services.AddSingleton<AgentCallLimiter>();
        services.AddApiDocumentation();
        services.AddScoped<AgentActivityService>();
        services.AddAgentPageSection<AgentActivitySection>(AgentPageSlot.Sections, 20, page => new Dictionary<string, object>
        {
            [nameof(AgentActivitySection.AgentId)] = page.Agent.Summary.Id,
        });
        return services;
    }
}
