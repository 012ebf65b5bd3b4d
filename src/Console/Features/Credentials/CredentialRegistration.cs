using Warden.Features.Agents;

namespace Warden.Features.Credentials;

public static class CredentialRegistration
{
    /// <summary>Agent credentials and the credentials section of the agent page.</summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services)
    {
        services.AddScoped<CredentialService>();
        services.AddAgentPageSection<AgentCredentialsSection>(AgentPageSlot.Sections, 50, page => new Dictionary<string, object>
        {
            [nameof(AgentCredentialsSection.AgentId)] = page.Agent.Summary.Id,
            [nameof(AgentCredentialsSection.Changes)] = page.Agent.Changes,
            [nameof(AgentCredentialsSection.OnChanged)] = page.Reload,
        });
        return services;
    }
}
