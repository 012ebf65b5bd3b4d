using Warden.Domain.Decisions;
using Warden.Infrastructure.Events;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Containment;
using Warden.Features.Decisions.Grants;
using Warden.Features.Decisions.Stages;
using Warden.Features.Policies;
using Warden.Infrastructure.Keys;

namespace Warden.Features.Decisions;

public static class DecisionRegistration
{
    /// <summary>
    /// The decision path (its stages in <see cref="DecisionPipeline.Stages"/> order), the agent API
    /// around it, recorded decisions as other features read them (explained for people, replayed by
    /// policies), and the activity section of the agent page.
    /// </summary>
    public static IServiceCollection AddDecisions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<UsageMeter>();
        services.AddEventHandler<OutcomeViolated, UsageMeter>();
        services.AddSingleton<ParameterSchemas>();
        services.AddOptions<GrantOptions>().BindConfiguration(GrantOptions.SectionName).ValidateOnStart();
        services.AddSingleton<GrantKeys>();
        services.AddStoredKeyUser<GrantKeys>();
        services.AddSingleton<GrantIssuer>();
        services.AddSingleton<GrantTokens>();
        services.AddSingleton<SignedDocuments>();
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
        services.AddSingleton<DryRuns>();
        services.AddScoped<DryRunService>();
        services.AddSingleton<DecisionStatus>();
        services.AddSingleton<OutcomeReports>();
        services.AddSingleton<GrantRedemptions>();
        services.AddSingleton<OutputReviews>();
        services.AddSingleton<IUnusedGrants, UnusedGrants>();
        services.AddScoped<DecisionExplanationService>();
        services.AddSingleton<IRecordedRequests, RecordedRequestReader>();
        services.AddAuditDecisionDialog(DecisionDetailDialog.ShowAsync);
        services.Configure<AgentApiOptions>(configuration.GetSection(AgentApiOptions.SectionName));
        services.AddSingleton<AgentCallLimiter>();
        services.AddApiDocumentation();
        services.AddScoped<AgentActivityService>();
        services.AddAgentPageSection<AgentActivitySection>(AgentPageSlot.Sections, 20, page => new Dictionary<string, object>
        {
            [nameof(AgentActivitySection.AgentId)] = page.Agent.Summary.Id,
        });
        services.AddAgentPageSection<TryRequestPanel>(AgentPageSlot.Sections, 25, page => new Dictionary<string, object>
        {
            [nameof(TryRequestPanel.AgentId)] = page.Agent.Summary.Id,
            [nameof(TryRequestPanel.AgentName)] = page.Agent.Summary.Name,
            [nameof(TryRequestPanel.Tools)] = page.Agent.Tools,
        }, page => page.Agent.Permissions.CanEdit);
        return services;
    }
}
