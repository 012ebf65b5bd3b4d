using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Warden.Infrastructure.Cluster;

/// <summary>
/// Ready only while this instance's view of the shared state is current (confirmed within the
/// staleness bound): a proxy sends no agent to an instance that would refuse its decisions.
/// </summary>
public sealed class SharedStateHealthCheck(StateEpoch epoch) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await epoch.EnsureCurrentAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The view of the shared state is {epoch.Age.TotalMilliseconds:F0} ms old, beyond the bound of {epoch.Bound.TotalMilliseconds:F0} ms.");
}
