using Warden.Infrastructure.Cluster;

namespace Warden.Features.Agents;

public static class AgentRegistration
{
    /// <summary>The directory: its options, services, upkeep job, and the agent page's sections registry.</summary>
    public static IServiceCollection AddAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryOptions>()
            .Bind(configuration.GetSection(DirectoryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddStateView<LiveAgents>();
        services.AddDecisionState<Warden.Domain.Agents.Agent>(a => a.Id.Value);
        services.AddSingleton<AgentSettingsBaseline>();
        services.AddScoped<AgentDirectoryService>();
        services.AddScoped<AgentRegistryService>();
        services.AddScoped<AgentChangeReviewService>();
        services.AddScoped<AgentExportService>();
        services.AddScoped<AgentImportService>();
        services.AddTransient<DirectoryUpkeepJob>();
        services.AddSingleton<AgentPageSections>();
        return services;
    }
}
