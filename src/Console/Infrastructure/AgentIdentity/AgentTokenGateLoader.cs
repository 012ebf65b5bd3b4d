using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// Fills the <see cref="AgentTokenGate"/> from the database before the app serves requests, and again
/// whenever another instance changed agents or their credentials.
/// </summary>
internal sealed class AgentTokenGateLoader(AgentTokenGate gate, IDbContextFactory<WardenDbContext> contexts) : IHostedService, IStateView
{
    public Task StartAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
