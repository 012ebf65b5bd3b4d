namespace Warden.Features.Decisions;

public static class DecisionRegistration
{
    /// <summary>Recorded decisions as other features read them: explained for the people who review them.</summary>
    public static IServiceCollection AddDecisionRecords(this IServiceCollection services)
    {
        services.AddScoped<DecisionExplanationService>();
        return services;
    }
}
