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

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var agents = await db.Agents.AsNoTracking()
            .Select(a => new { a.Id, a.Status })
            .ToListAsync(cancellationToken);
        var watermarks = await db.Set<AgentCredential>().AsNoTracking()
            .Where(c => c.TokensValidAfter != null)
            .ToDictionaryAsync(c => c.AgentId, c => c.TokensValidAfter, cancellationToken);
        foreach (var agent in agents)
            gate.Load(agent.Id.Value, agent.Status, watermarks.GetValueOrDefault(agent.Id.Value));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
