using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Persistence;

namespace Warden.Features.RedTeam;

/// <summary>A scheduled drill: one agent, or every active agent (<c>null</c>), run as the system.</summary>
public sealed partial class RedTeamDrillJob(RedTeamDrills drills, IDbContextFactory<WardenDbContext> contexts, ILogger<RedTeamDrillJob> logger)
{
    public const string AllAgentsJobId = "redteam-all";

    public static string JobIdFor(string? agentId) => agentId is null ? AllAgentsJobId : "redteam-" + agentId;

    public async Task RunAsync(string? agentId, CancellationToken cancellationToken)
    {
        List<string> agents;
        if (agentId is not null)
            agents = [agentId];
        else
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            agents = (await db.Agents.AsNoTracking().Where(a => a.Status == AgentStatus.Active).Select(a => a.Id).ToListAsync(cancellationToken))
                .Select(a => a.Value).ToList();
        }
        var actor = new AuditActor(AuditActorKind.System, null, "schedule");
        foreach (var id in agents)
        {
            var run = await drills.RunAsync(id, actor, atLevel: null, cancellationToken);
            if (run.IsFailure)
                Failed(logger, id, run.Error.Code);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduled red-team drill of {AgentId} did not run: {Code}.")]
    private static partial void Failed(ILogger logger, string agentId, string code);
}
