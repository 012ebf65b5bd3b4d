using Warden.Features.Containment;
using Warden.Features.Policies;
using Warden.Features.Decisions.Grants;
using Warden.Features.Decisions.Stages;

namespace Warden.Features.Decisions;

public static class DecisionsRegistration
{
    /// <summary>
    /// The decision path: its stages (in <see cref="DecisionPipeline.Stages"/> order), answers, status,
    /// outcomes and output reviews; and recorded decisions as other features read them (explained for
    /// people, and as the requests a policy replay decides again).
    /// </summary>
    public static IServiceCollection AddDecisions(this IServiceCollection services)
    {
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<ParameterSchemas>();
        services.AddOptions<GrantOptions>().BindConfiguration(GrantOptions.SectionName).ValidateOnStart();
        services.AddSingleton<GrantKeys>();
        services.AddSingleton<GrantIssuer>();
        services.AddSingleton<GrantTokens>();
        services.AddSingleton<DecisionJournal>();
        services.AddSingleton<KeyedLocks>();
        services.AddSingleton<AgentViews>();
        services.AddSingleton<GuardedScreening>();
        services.AddSingleton<DecisionAnswers>();
        services.AddSingleton<DecisionRecorder>();
        services.AddSingleton<Followers>();
        services.AddSingleton<DecisionWaiters>();
        foreach (var stage in DecisionPipeline.Stages)
        {
            services.AddSingleton(stage);
            services.AddSingleton(sp => (IDecisionStage)sp.GetRequiredService(stage));
        }
        services.AddSingleton<DecisionPipeline>();
        services.AddSingleton<DecisionStatus>();
        services.AddSingleton<OutcomeReports>();
        services.AddSingleton<GrantRedemptions>();
        services.AddSingleton<OutputReviews>();
        services.AddSingleton<IUnusedGrants, UnusedGrants>();
        services.AddScoped<DecisionExplanationService>();
        services.AddSingleton<IRecordedRequests, RecordedRequestReader>();
        return services;
    }
}
