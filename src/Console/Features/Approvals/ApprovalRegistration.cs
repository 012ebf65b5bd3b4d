namespace Warden.Features.Approvals;

public static class ApprovalRegistration
{
    /// <summary>Approval requests, their feed and sweeper.</summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApprovalOptions>()
            .Bind(configuration.GetSection(ApprovalOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ApprovalFeed>();
        services.AddSingleton<ApprovalWorkflow>();
        services.AddScoped<ApprovalService>();
        services.AddHostedService<ApprovalSweeper>();
        return services;
    }
}
