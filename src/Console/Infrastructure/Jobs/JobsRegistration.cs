using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Warden.Domain.People;
using Warden.Infrastructure.Storage;

namespace Warden.Infrastructure.Jobs;

public static class JobsRegistration
{
    public const string DashboardPath = "/ops/jobs";

    public static IServiceCollection AddWardenJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(JobsOptions.SectionName);
        services.Configure<JobsOptions>(section);
        var options = section.Get<JobsOptions>() ?? new JobsOptions();

        services.AddHangfire((provider, hangfire) =>
        {
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var connection = provider.GetRequiredService<DatabaseConnection>();
            if (options.UsesInMemoryStorage)
                hangfire.UseInMemoryStorage();
            else if (connection.Provider == DatabaseProvider.Sqlite)
                hangfire.UseSQLiteStorage(Path.Combine(connection.DataDirectory, "jobs.db"));
            else
                hangfire.UsePostgreSqlStorage(pg => pg.UseNpgsqlConnection(connection.ConnectionString));
        });
        services.AddHangfireServer(server =>
        {
            server.WorkerCount = Math.Max(1, options.WorkerCount);
            server.SchedulePollingInterval = TimeSpan.FromSeconds(Math.Clamp(options.SchedulePollingSeconds, 1, 60));
        });
        services.AddTransient<HousekeepingJob>();
        return services;
    }

    public static WebApplication MapWardenJobs(this WebApplication app)
    {
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
            {
                DashboardTitle = "Warden jobs",
                AppPath = "/",
                Authorization = [new AdministratorsOnlyDashboardFilter()],
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.Administrator));

        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        var cron = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value.HousekeepingCron;
        jobs.AddOrUpdate<HousekeepingJob>(HousekeepingJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), cron);
        return app;
    }
}
