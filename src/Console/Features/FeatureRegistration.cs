using Hangfire;
using Microsoft.Extensions.Options;
using Warden.Features.Administration;
using Warden.Features.Agents;
using Warden.Features.Approvals;
using Warden.Features.Autonomy;
using Warden.Features.Behaviour;
using Warden.Features.Compliance;
using Warden.Features.Metrics;
using Warden.Features.AuditLog;
using Warden.Features.AuditLog.Stream;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Grants;
using Warden.Features.Decisions.Provenance;
using Warden.Features.Demo;
using Warden.Features.Guardrails;
using Warden.Features.Incidents;
using Warden.Features.Evidence;
using Warden.Features.Gateway;
using Warden.Features.Policies;
using Warden.Features.RedTeam;
using Warden.Features.Rollback;
using Warden.Features.Credentials;
using Warden.Features.Dashboard;
using Warden.Features.Notifications;
using Warden.Features.Setup;
using Warden.Features.Tools;
using Warden.Infrastructure.Events;
using Warden.Infrastructure.Keys;

namespace Warden.Features;

public static class FeatureRegistration
{
    public static IServiceCollection AddWardenFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<EventPublisher>();
        services.AddAgents(configuration);
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AuditCheckpointKey>();
        services.AddStoredKeyUser<AuditCheckpointKey>();
        services.AddSingleton<AuditSealSink>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<AuditTimeOrder>();
        services.AddSingleton<IntegrityAlerts>();
        services.AddAuditStream(configuration);
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        services.AddScoped<AuditLogService>();
        services.AddHostedService<AuditTimeOrderScan>();
        services.AddScoped<AuditVerificationService>();
        services.AddScoped<DashboardService>();
        services.AddScoped<UserAdministrationService>();
        services.AddScoped<FirstAdministratorService>();
        services.AddCredentials();

        services.AddPolicyDocuments();
        services.AddDecisions(configuration);
        services.AddGuardrails(configuration);
        services.AddContainment(configuration);
        services.AddAutonomy(configuration);
        services.AddBehaviourMonitoring(configuration);
        services.AddGovernanceMetrics(configuration);
        services.AddApprovals(configuration);
        services.AddNotifications(configuration);
        services.AddSingleton<DemoAgentSeeder>();
        services.AddSingleton<DemoUpstream>();
        services.AddHostedService<DemoAgentRunner>();
        services.AddCompliance(configuration);
        services.AddEvidencePacks(configuration);
        services.AddGateway(configuration);
        services.AddToolHooks(configuration);
        services.AddRollback();
        services.AddIncidents(configuration);
        services.AddRedTeam(configuration);
        services.AddSingleton<Warden.Features.Decisions.Previews.IToolPreviews, ToolPreviews>();
        return services;
    }

    public static WebApplication MapWardenFeatures(this WebApplication app)
    {
        app.MapAgentEndpoints();
        app.MapAuditEndpoints();
        app.MapDecisionEndpoints();
        app.MapPreviewEndpoints();
        app.MapGrantEndpoints();
        app.MapProvenanceEndpoints();
        app.MapContainmentEndpoints();
        app.MapApiDocumentation();
        app.MapEvidence();
        app.MapGovernanceMetrics();
        app.MapGatewayEndpoint();
        if (app.Configuration.GetValue<bool>("Demo:Enabled"))
            app.MapDemoCompensation();
        _ = app.Services.GetRequiredService<PublishedPolicy>();
        app.Services.PrepareGuardrails();
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        var directory = app.Services.GetRequiredService<IOptions<DirectoryOptions>>().Value;
        jobs.AddOrUpdate<DirectoryUpkeepJob>(DirectoryUpkeepJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), directory.UpkeepCron);
        app.Services.ScheduleNotifications();
        return app;
    }
}
