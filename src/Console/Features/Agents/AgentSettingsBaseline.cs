using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// The first digest of every agent that existed before Warden recorded digests. It runs once per
/// database, at the first start with the check, and is itself audited (one
/// <see cref="AgentSettingsDigest.RecordedKind"/> event per agent and a <see cref="Kind"/> event that
/// marks it done); from then on an agent without a recorded digest did not come through Warden.
/// </summary>
public sealed partial class AgentSettingsBaseline(IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, ILogger<AgentSettingsBaseline> logger)
{
    public const string Kind = "agent.settings_baseline";

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.AuditEvents.AnyAsync(e => e.Kind == Kind, cancellationToken))
            return;
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.RegisteredAt).ToListAsync(cancellationToken);
        var entries = agents
            .Select(a => AgentSettingsDigest.Recorded(a.Id.Value, AgentSettingsDigest.Of(a), "baseline", AuditActor.System))
            .Append(AuditEntry.Of(AuditActor.System, Kind, "agents", new
            {
                agents = agents.Count,
                reason = "first start with the agent settings check: the settings stored now are recorded as each agent's first digest",
            }))
            .ToList();
        await audit.AppendAsync(db, entries, cancellationToken);
        Recorded(logger, agents.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded the settings digest of {Count} existing agents; from now on a change to an agent's tools, scopes or limits that did not come through Warden refuses its requests.")]
    private static partial void Recorded(ILogger logger, int count);
}
