namespace Warden.Features.Policies;

public static class PolicyRegistration
{
    /// <summary>Registers the policy document reader; publishing and storage wire in on top of it.</summary>
    public static IServiceCollection AddPolicyDocuments(this IServiceCollection services)
    {
        services.AddSingleton<PolicyYamlLoader>();
        return services;
    }
}
