using System.ComponentModel.DataAnnotations;

namespace Warden.Infrastructure.Cluster;

/// <summary>How an instance keeps its view of the shared state current when several share one PostgreSQL database.</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>
    /// The oldest this instance's view of containment, agents, credentials and policy may be before
    /// it refuses decisions (503) until it has caught up. The view is confirmed by every heartbeat and
    /// every notification.
    /// </summary>
    [Range(50, 10_000)]
    public int StalenessBoundMilliseconds { get; set; } = 250;

    /// <summary>
    /// This instance's name in PostgreSQL's <c>pg_stat_activity</c> (the follower's connection is
    /// <c>warden-follower:NAME</c>); the machine name by default.
    /// </summary>
    [MaxLength(40)]
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>How often the instance reads the state epoch even when no notification came.</summary>
    [Range(10, 5_000)]
    public int HeartbeatMilliseconds { get; set; } = 50;

    /// <summary>
    /// How long a request waits for this instance to catch up before it is refused (503): when its
    /// view is past the bound, or when a change committed elsewhere overtook the request's decision.
    /// Nothing is decided on an old view meanwhile: the request goes on only once a read of the epoch
    /// that started after it arrived (or after the change) is reflected, so a slow follower costs
    /// latency instead of refusals, and a lost database still refuses.
    /// </summary>
    [Range(0, 30_000)]
    public int CatchUpMilliseconds { get; set; } = 2_000;
}
