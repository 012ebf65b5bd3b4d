using Warden.Features.Policies;

namespace Warden.Features.Decisions;

public static class DecisionRegistration
{
    /// <summary>Recorded decisions as other features read them: explained for the people who review them, and as the requests a policy replay decides again.</summary>
    public static IServiceCollection AddDecisionRecords(this IServiceCollection services)
    {
        services.AddScoped<DecisionExplanationService>();
        services.AddSingleton<IRecordedRequests, RecordedRequestReader>();
        return services;
    }
}
