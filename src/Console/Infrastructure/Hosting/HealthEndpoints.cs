using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Warden.Infrastructure.Storage;

namespace Warden.Infrastructure.Hosting;

/// <summary>
/// For a reverse proxy or an orchestrator: <c>GET /healthz</c> (the process serves requests) and
/// <c>GET /readyz</c> (every check tagged <see cref="ReadinessTag"/> passes, the database first). Both
/// are anonymous and answer a tiny JSON body, 200 or 503, naming checks but never their details.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag a health check with this to make readiness depend on it.</summary>
    public const string ReadinessTag = "ready";

    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>A check that takes longer than this counts as failed, so readiness answers within a bound.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static IHealthChecksBuilder AddWardenHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [ReadinessTag], CheckTimeout);

    public static WebApplication MapWardenHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(ReadinessTag),
                ResponseWriter = WriteAsync,
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status200OK,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
            })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status == HealthStatus.Unhealthy ? "unavailable" : "ok",
        };
        if (report.Entries.Count > 0)
            body["checks"] = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Unhealthy ? "failing" : "ok");
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
