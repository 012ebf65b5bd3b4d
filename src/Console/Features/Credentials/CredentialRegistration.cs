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
            [nameof(AgentCredentialsSection.Tools)] = page.Agent.Tools,
            [nameof(AgentCredentialsSection.Scopes)] = page.Agent.Scopes,
        });
        services.AddAgentPageSection<CredentialsNextStep>(AgentPageSlot.Notices, 10, page => new Dictionary<string, object>
        {
            [nameof(CredentialsNextStep.Agent)] = page.Agent,
            [nameof(CredentialsNextStep.OnChanged)] = page.Reload,
        });
        return services;
    }
}
