namespace Warden.Features.Compliance;

public static class ComplianceRegistration
{
    public static IServiceCollection AddCompliance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ComplianceOptions>().Bind(configuration.GetSection(ComplianceOptions.SectionName));
        services.AddComplianceCheck<AgentsOwnedCheck>();
        services.AddComplianceCheck<AttestationsCurrentCheck>();
        services.AddComplianceCheck<CredentialsShortLivedCheck>();
        services.AddComplianceCheck<PoliciesSecondOfficerCheck>();
        services.AddComplianceCheck<DecisionsRecordedCheck>();
        services.AddComplianceCheck<ApprovalsSeparatedCheck>();
        services.AddComplianceCheck<ContainmentExercisedCheck>();
        services.AddComplianceCheck<AutonomyJustifiedCheck>();
        services.AddComplianceCheck<ViolationsReviewedCheck>();
        services.AddComplianceCheck<GuardrailsScreenedCheck>();
        services.AddComplianceCheck<BehaviourBaselinedCheck>();
        services.AddComplianceCheck<AuditChainVerifiedCheck>();
        services.AddSingleton(sp => ComplianceCatalogLoader.Load(
            [.. ComplianceCatalogLoader.Embedded(), .. ComplianceOptions.ExtraFiles(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ComplianceOptions>>().Value)],
            sp.GetServices<IComplianceCheck>().Select(c => c.Id).ToHashSet(StringComparer.Ordinal)));
        services.AddSingleton<ComplianceEvaluator>();
        services.AddScoped<ComplianceService>();
        services.AddHostedService<ComplianceCatalogCheck>();
        return services;
    }

    /// <summary>Adds a check that the controls file can name by its id; features outside Compliance add theirs the same way.</summary>
    public static IServiceCollection AddComplianceCheck<T>(this IServiceCollection services)
        where T : class, IComplianceCheck
    {
        services.AddSingleton<IComplianceCheck, T>();
        return services;
    }
}

/// <summary>Loads the catalog when the app starts, so a bad mapping stops the start with its file and line instead of failing a pack later.</summary>
internal sealed class ComplianceCatalogCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ComplianceCatalog>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
