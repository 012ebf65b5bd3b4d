using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// Fills the <see cref="AgentTokenGate"/> from the database before the app serves requests, and again
/// whenever another instance changed agents or their credentials.
/// </summary>
public sealed class AgentTokenGateLoader(AgentTokenGate gate, StateEpoch state, IDbContextFactory<WardenDbContext> contexts) : IHostedService, IStateView
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A notice is spent once this instance's view has read its epoch.
        if (state.IsShared)
            gate.FollowEpoch(() => state.View);
        return ReloadAsync(cancellationToken);
    }

    /// <summary>The agents another instance contained are refused at once, before their rows are read (ADR 0036).</summary>
    public void Noticed(long epoch, StateChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var agentId in changes.ContainedAgents)
            gate.ContainOnNotice(agentId, epoch);
    }

    /// <summary>
    /// A decision found stale at its commit: the state moved on under it, and the notice that says how may
    /// not have arrived yet (the writer reads the epoch from the database, the notice comes on another
    /// connection, or not at all while it is cut). Reads the agent's own status: if it is contained now,
    /// the gate refuses it from here on, exactly as a notice of <paramref name="epoch"/> would make it.
    /// </summary>
    /// <returns>Whether the gate now refuses the agent as contained.</returns>
    public async Task<bool> ReadContainmentAsync(string agentId, long epoch, CancellationToken cancellationToken)
    {
        if (gate.IsContained(agentId))
            return true;
        if (!AgentId.TryParse(agentId, out var id))
            return false;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var status = await db.Agents.AsNoTracking().Where(a => a.Id == id).Select(a => (AgentStatus?)a.Status).SingleOrDefaultAsync(cancellationToken);
            if (status == AgentStatus.Contained)
                gate.ContainOnNotice(agentId, epoch);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            // Unread, the request waits for this instance to catch up as any stale decision does.
        }
        return gate.IsContained(agentId);
    }

    /// <summary>
    /// Reads only what the gate refuses on: agents that are not active, and credentials with a
    /// watermark. Every other agent's tokens pass the gate, so its size does not grow the read.
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var restricted = await db.Agents.AsNoTracking()
            .Where(a => a.Status != AgentStatus.Active)
            .Select(a => new { a.Id, a.Status })
            .ToListAsync(cancellationToken);
        var watermarks = await db.Set<AgentCredential>().AsNoTracking()
            .Where(c => c.TokensValidAfter != null)
            .Select(c => new { c.AgentId, c.TokensValidAfter })
            .ToListAsync(cancellationToken);
        var entries = new Dictionary<string, (AgentStatus Status, DateTimeOffset? ValidAfter)>(StringComparer.Ordinal);
        foreach (var credential in watermarks)
            entries[credential.AgentId] = (AgentStatus.Active, credential.TokensValidAfter);
        foreach (var agent in restricted)
            entries[agent.Id.Value] = (agent.Status, entries.GetValueOrDefault(agent.Id.Value).ValidAfter);
        gate.Load(entries);
    }

    public IReadOnlyCollection<Type> Follows { get; } = [typeof(Agent), typeof(AgentCredential)];

    /// <summary>Reads only the agents another instance changed (or whose credentials it changed), when it named them.</summary>
    public async Task ReloadAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in Follows)
        {
            if (!changes.Touches(type))
                continue;
            if (changes.KeysOf(type) is not { } keys)
            {
                await ReloadAsync(cancellationToken);
                return;
            }
            named.UnionWith(keys);
        }
        var ids = new List<AgentId>();
        foreach (var key in named)
        {
            if (!AgentId.TryParse(key, out var id))
            {
                await ReloadAsync(cancellationToken);
                return;
            }
            ids.Add(id);
        }
        var agentIds = named.ToList();
        await using var db = contexts.CreateDbContext();
        var statuses = await db.Agents.AsNoTracking()
            .Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Status })
            .ToDictionaryAsync(a => a.Id.Value, a => a.Status, StringComparer.Ordinal, cancellationToken);
        var watermarks = await db.Set<AgentCredential>().AsNoTracking()
            .Where(c => agentIds.Contains(c.AgentId) && c.TokensValidAfter != null)
            .ToDictionaryAsync(c => c.AgentId, c => c.TokensValidAfter, StringComparer.Ordinal, cancellationToken);
        var entries = new Dictionary<string, (AgentStatus Status, DateTimeOffset? ValidAfter)?>(StringComparer.Ordinal);
        foreach (var agentId in named)
        {
            // An agent no longer in the database has nothing to refuse on, as on a whole read.
            var status = statuses.TryGetValue(agentId, out var found) ? found : AgentStatus.Active;
            var validAfter = watermarks.GetValueOrDefault(agentId);
            entries[agentId] = status == AgentStatus.Active && validAfter is null ? null : (status, validAfter);
        }
        gate.LoadSome(entries);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
