using Microsoft.Extensions.Diagnostics.HealthChecks;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Storage;

namespace Warden.Infrastructure.Cluster;

public static class ClusterRegistration
{
    public static IServiceCollection AddWardenCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StateEpoch>();
        services.AddSingleton<DecisionState>();
        services.AddSingleton<StateFollower>();
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.ParsedProvider == DatabaseProvider.Postgres)
        {
            services.AddHostedService(sp => sp.GetRequiredService<StateFollower>());
            services.AddHealthChecks().AddCheck<SharedStateHealthCheck>("shared-state", HealthStatus.Unhealthy, [HealthEndpoints.ReadinessTag], TimeSpan.FromSeconds(1));
        }
        return services;
    }

    /// <summary>
    /// Committed changes to <typeparamref name="TEntity"/> can change decisions: they advance the state
    /// epoch. <paramref name="key"/> names a changed row to other instances (the views following the
    /// type read again only those rows); without it they read the type whole.
    /// </summary>
    public static IServiceCollection AddDecisionState<TEntity>(this IServiceCollection services, Func<TEntity, string?>? key = null) where TEntity : class =>
        services.AddSingleton(new DecisionStateType(typeof(TEntity), key is null ? null : entity => key((TEntity)entity)));

    /// <summary><typeparamref name="TView"/> is read again when another instance changed the shared state.</summary>
    public static IServiceCollection AddStateView<TView>(this IServiceCollection services) where TView : class, IStateView =>
        services.AddSingleton<IStateView>(sp => sp.GetRequiredService<TView>());
}
