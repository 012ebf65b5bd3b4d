using Hangfire;
using Microsoft.Extensions.Options;
using Warden.Features.Administration;
using Warden.Features.Agents;
using Warden.Features.Approvals;
using Warden.Features.Autonomy;
using Warden.Features.Behaviour;
using Warden.Features.Metrics;
using Warden.Features.AuditLog;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Grants;
using Warden.Features.Demo;
using Warden.Features.Guardrails;
using Warden.Features.Evidence;
using Warden.Features.Policies;
using Warden.Features.Credentials;
using Warden.Features.Dashboard;
using Warden.Features.Notifications;
using Warden.Features.Setup;

using Warden.Domain.Agents;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Infrastructure.Events;

namespace Warden.Features;

public static class FeatureRegistration
{
    public static IServiceCollection AddWardenFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<EventPublisher>();
        services.AddOptions<DirectoryOptions>()
            .Bind(configuration.GetSection(DirectoryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AuditCheckpointKey>();
        services.AddSingleton<AuditWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        services.AddScoped<AuditLogService>();
        services.AddScoped<AuditVerificationService>();
        services.AddScoped<DashboardService>();
        services.AddScoped<UserAdministrationService>();
        services.AddScoped<FirstAdministratorService>();
        services.AddScoped<AgentDirectoryService>();
        services.AddScoped<AgentRegistryService>();
        services.AddScoped<AgentExportService>();
        services.AddScoped<AgentImportService>();
        services.AddScoped<CredentialService>();
        services.AddTransient<DirectoryUpkeepJob>();

        services.AddPolicyDocuments();
        services.AddDecisions();
        services.AddGuardrails(configuration);
        services.AddOptions<ApprovalOptions>()
            .Bind(configuration.GetSection(ApprovalOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<ContainmentOptions>(o =>
        {
            // Configured breakers replace the defaults rather than adding to them.
            var rules = configuration.GetSection($"{ContainmentOptions.SectionName}:Breakers").Get<List<BreakerRule>>();
            if (rules is { Count: > 0 })
                o.Breakers = rules;
        });
        services.AddSingleton<CircuitBreakers>();
        services.AddEventHandler<DecisionCommitted, CircuitBreakers>();
        services.AddSingleton<ContainmentRegistry>();
        services.AddSingleton<ContainmentTurns>();
        services.AddSingleton<ContainmentEngine>();
        services.AddSingleton<ContainmentReleases>();
        services.AddSingleton<ContainmentDrills>();
        services.AddScoped<ContainmentService>();
        services.AddScoped<AutomationClientService>();
        services.AddHostedService<ContainmentMonitor>();
        services.AddSingleton<ApprovalFeed>();
        services.AddSingleton<ApprovalCommits>();
        services.AddSingleton<ApprovalWorkflow>();
        services.AddSingleton<ApprovalLapses>();
        services.AddSingleton<IApprovalExpiry>(sp => sp.GetRequiredService<ApprovalLapses>());
        services.AddSingleton<ApprovalFollowUps>();
        services.AddEventHandler<DecisionCommitted, ApprovalFollowUps>();
        services.AddEventHandler<AgentsContained, ApprovalFollowUps>();
        services.AddScoped<ApprovalService>();
        services.AddOptions<AutonomyOptions>()
            .Bind(configuration.GetSection(AutonomyOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => new[] { o.ToLevel1, o.ToLevel2, o.ToLevel3 }.All(c => c.MinDaysAtLevel >= 0 && c.MinDecisions >= 0 && c.CriticalFreeDays >= 0
                && c.MaxFalsePositiveRate is null or (>= 0 and <= 1)), "Autonomy promotion criteria must not be negative; false-positive rates are fractions from 0 to 1.")
            .ValidateOnStart();
        services.AddSingleton<AutomaticDemotion>();
        services.AddSingleton(sp => sp.GetRequiredService<AutomaticDemotion>().Severities);
        services.AddSingleton<DemotionTriggers>();
        services.AddEventHandler<DecisionCommitted, DemotionTriggers>();
        services.AddEventHandler<AgentsContained, DemotionTriggers>();
        services.AddEventHandler<AgentSuspendedForAttestation, DemotionTriggers>();
        services.AddSingleton<EvidenceCheck>();
        services.AddBehaviourMonitoring(configuration);
        services.AddGovernanceMetrics(configuration);
        services.AddScoped<AutonomyService>();
        services.AddScoped<ViolationService>();
        services.AddHostedService<ApprovalSweeper>();
        services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.SectionName));
        services.AddHttpClient(WebhookDeliveryJob.HttpClientName);
        services.AddSingleton<Notifier>();
        services.AddTransient<WebhookDeliveryJob>();
        services.AddTransient<NotificationSweepJob>();
        services.Configure<AgentApiOptions>(configuration.GetSection(AgentApiOptions.SectionName));
        services.AddSingleton<AgentCallLimiter>();
        services.AddApiDocumentation();
        services.AddScoped<AgentActivityService>();
        services.AddSingleton<DemoAgentSeeder>();
        services.AddHostedService<DemoAgentRunner>();
        services.AddEvidencePacks(configuration);
        return services;
    }

    public static WebApplication MapWardenFeatures(this WebApplication app)
    {
        app.MapAgentEndpoints();
        app.MapAuditEndpoints();
        app.MapDecisionEndpoints();
        app.MapGrantEndpoints();
        app.MapContainmentEndpoints();
        app.MapApiDocumentation();
        app.MapEvidence();
        app.MapGovernanceMetrics();
        _ = app.Services.GetRequiredService<PublishedPolicy>();
        app.Services.PrepareGuardrails();
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        var directory = app.Services.GetRequiredService<IOptions<DirectoryOptions>>().Value;
        jobs.AddOrUpdate<DirectoryUpkeepJob>(DirectoryUpkeepJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), directory.UpkeepCron);
        jobs.AddOrUpdate<NotificationSweepJob>(NotificationSweepJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        return app;
    }
}
