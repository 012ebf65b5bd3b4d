using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Features.Autonomy;
using Warden.Features.Evidence.Rendering;
using Warden.Features.Metrics;
using Warden.Persistence;
using Warden.Infrastructure.Keys;

namespace Warden.Features.Evidence;

public static class EvidenceRegistration
{
    public static IServiceCollection AddEvidencePacks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EvidenceOptions>()
            .Bind(configuration.GetSection(EvidenceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<EvidenceOptions>>().Value.FontFolders;
            return EvidenceFonts.InstallFrom(configured.Length > 0 ? configured : EvidenceFonts.SystemFolders);
        });
        services.AddSingleton<IEvidenceRenderer, PdfEvidenceRenderer>();
        services.AddSingleton<EvidenceSigningKey>();
        services.AddStoredKeyUser<EvidenceSigningKey>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<EvidenceProgress>();
        services.AddSingleton<EvidencePackBuilder>();
        services.AddSingleton<IEvidenceCheck, EvidenceCheck>();
        services.AddSingleton<IEvidenceFacts, EvidenceFacts>();
        services.AddTransient<EvidencePackJob>();
        services.AddTransient<EvidenceRetentionJob>();
        services.AddScoped<EvidenceService>();
        services.AddScoped<EvidenceDefinitionService>();
        services.AddScoped<EvidenceVerificationService>();
        return services;
    }

    /// <summary>Fails start-up when the fonts or the signing key are unusable, maps the downloads and schedules every definition.</summary>
    public static WebApplication MapEvidence(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<EvidenceFonts>();
        _ = app.Services.GetRequiredService<EvidenceSigningKey>();
        app.MapEvidenceEndpoints();
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        foreach (var definition in db.EvidenceDefinitions.AsNoTracking().ToList())
            EvidenceDefinitionService.Schedule(recurring, definition);
        recurring.AddOrUpdate<EvidenceRetentionJob>(EvidenceRetentionJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Daily(3, 30));
        return app;
    }
}
