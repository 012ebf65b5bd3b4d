using Warden.Features.AuditLog;
using Warden.Infrastructure.Cluster;

namespace Warden.Features.Policies;

public static class PolicyRegistration
{
    /// <summary>The policy document reader, its versions and publications, replay, and the refresher that keeps the policy in force current.</summary>
    public static IServiceCollection AddPolicyDocuments(this IServiceCollection services)
    {
        services.AddSingleton(Packs.PolicyPacks.Shipped);
        services.AddSingleton<PolicyYamlLoader>();
        services.AddSingleton<PublishedPolicy>();
        services.AddSingleton<PolicyReplay>();
        services.AddTransient<PolicyReplayJob>();
        services.AddSingleton<PolicyStore>();
        services.AddStateView<PolicyStore>();
        services.AddDecisionState<PolicyPublication>();
        services.AddHostedService<PolicyRefresher>();
        services.AddScoped<PolicyChecker>();
        services.AddScoped<PolicyService>();
        services.AddScoped<PolicyReplayService>();
        services.AddScoped<PolicyPublicationService>();
        services.AddScoped<Packs.PolicyPackService>();
        return services;
    }
}
