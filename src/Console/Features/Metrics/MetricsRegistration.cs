using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Warden.Domain.People;

namespace Warden.Features.Metrics;

public static class MetricsRegistration
{
    public const string ScrapePolicy = "MetricsScrape";

    public static IServiceCollection AddGovernanceMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>()
            .Bind(configuration.GetSection(MetricsOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.OtlpEndpoint is null || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), "Metrics:OtlpEndpoint must be an absolute URI.")
            .ValidateOnStart();
        services.AddSingleton<GovernanceHistoryReader>();
        services.AddSingleton<GovernanceMeter>();
        services.AddSingleton<MetricsRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsRefresher>());
        services.AddScoped<MetricsService>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ScrapeTokenHandler>(ScrapeTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ScrapePolicy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ScrapeTokenHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.IsInRole(Roles.Administrator) || context.User.HasClaim(ScrapeTokenHandler.ScrapeClaim, "true")));

        var otlp = configuration[$"{MetricsOptions.SectionName}:{nameof(MetricsOptions.OtlpEndpoint)}"];
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("warden"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GovernanceMeter.MeterName);
                metrics.AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(otlp))
                    metrics.AddOtlpExporter(exporter => exporter.Endpoint = new Uri(otlp));
            });
        return services;
    }

    public static WebApplication MapGovernanceMetrics(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.ScrapePath;
        // The gauges need their meter alive before the first scrape.
        _ = app.Services.GetRequiredService<GovernanceMeter>();
        app.MapPrometheusScrapingEndpoint(path).RequireAuthorization(ScrapePolicy);
        return app;
    }
}
