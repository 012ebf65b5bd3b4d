using Microsoft.EntityFrameworkCore;
using Warden.Features.Compliance;
using Warden.Persistence;

namespace Warden.Features.RedTeam;

/// <summary>Every agent in scope that acted in the period was attacked by a red-team drill in the period.</summary>
internal sealed class RedTeamDrilledCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "redteam.drilled";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var acting = await ScopedRecords.Decisions(db, scope).Select(d => d.AgentId).Distinct().ToListAsync(cancellationToken);
        if (acting.Count == 0)
            return CheckOutcome.NotCovered("No agent in scope acted in the period, so none needed a drill.");
        var drilled = await db.Set<RedTeamDrillRun>().AsNoTracking()
            .Where(d => acting.Contains(d.AgentId) && d.CompletedAt >= scope.Start && d.CompletedAt < scope.End)
            .Select(d => d.AgentId).Distinct().CountAsync(cancellationToken);
        return CheckOutcome.Share(drilled, acting.Count,
            $"{drilled:N0} of {ScopedRecords.Count(acting.Count, "agent that acted was", "agents that acted were")} attacked by a red-team drill in the period.");
    }
}
