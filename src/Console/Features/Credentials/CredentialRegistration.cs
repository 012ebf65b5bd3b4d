namespace Warden.Features.Credentials;

public static class CredentialRegistration
{
    /// <summary>Agent credentials.</summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services)
    {
        services.AddScoped<CredentialService>();
        return services;
    }
}
