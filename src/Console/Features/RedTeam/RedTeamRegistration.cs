using Warden.Features.Compliance;
using Warden.Features.Autonomy;

namespace Warden.Features.RedTeam;

public static class RedTeamRegistration
{
    /// <summary>The corpus (read and checked at start), drills, their schedule, the promotion check and the evidence section.</summary>
    public static IServiceCollection AddRedTeam(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedTeamOptions>().Bind(configuration.GetSection(RedTeamOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RedTeamCorpus>();
        services.AddSingleton<GrantReplayDrill>();
        services.AddSingleton<RedTeamDrills>();
        services.AddSingleton<IRedTeamCheck, RedTeamCheck>();
        services.AddTransient<RedTeamDrillJob>();
        services.AddScoped<RedTeamService>();
        services.AddSingleton<Warden.Features.Evidence.IEvidenceSection, RedTeamEvidenceSection>();
        services.AddComplianceCheck<RedTeamDrilledCheck>();
        return services;
    }
}
