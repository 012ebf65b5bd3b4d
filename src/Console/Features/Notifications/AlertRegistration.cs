using Hangfire;
using Microsoft.Extensions.Options;

namespace Warden.Features.Notifications;

public static class AlertRegistration
{
    /// <summary>The outbox, the signed webhook, and alerts by e-mail, Slack and Teams (ADR 0033).</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.SectionName));
        services.AddHttpClient(WebhookDeliveryJob.HttpClientName);
        services.AddHttpClient(AlertSenders.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<Notifier>();
        services.AddTransient<WebhookDeliveryJob>();
        services.AddTransient<NotificationSweepJob>();
        services.AddSingleton<AlertSenders>();
        services.AddTransient<AlertFanOut>();
        services.AddTransient<AlertDeliveryJob>();
        services.AddTransient<AlertCalendarJob>();
        services.AddHostedService<AlertAuditFollower>();
        services.AddScoped<AlertService>();
        return services;
    }

    public static void ScheduleNotifications(this IServiceProvider services)
    {
        var jobs = services.GetRequiredService<IRecurringJobManager>();
        jobs.AddOrUpdate<NotificationSweepJob>(NotificationSweepJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        jobs.AddOrUpdate<AlertCalendarJob>(AlertCalendarJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            services.GetRequiredService<IOptions<NotificationOptions>>().Value.CalendarCron);
    }
}
