using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Persistence;

namespace Warden.Features.Compliance;

internal sealed record ScopedAgentFacts(string Id, string OwnerId, string Segment, DateTimeOffset RegisteredAt, DateTimeOffset LastAttestedAt);

/// <summary>The agents a check is about: in scope, registered before the period ended, not retired.</summary>
internal static class ScopedRecords
{
    public static async Task<List<ScopedAgentFacts>> AgentsAsync(WardenDbContext db, ComplianceScope scope, CancellationToken cancellationToken)
    {
        var rows = await db.Agents.AsNoTracking().Where(a => a.Status != AgentStatus.Retired && a.RegisteredAt < scope.End)
            .Select(a => new { a.Id, OwnerId = a.OwnerId.Value, a.Segment, a.RegisteredAt, a.LastAttestedAt }).ToListAsync(cancellationToken);
        return rows.Where(r => scope.Covers(r.Id.Value))
            .Select(r => new ScopedAgentFacts(r.Id.Value, r.OwnerId, r.Segment, r.RegisteredAt, r.LastAttestedAt)).ToList();
    }

    public static IQueryable<Warden.Features.Decisions.DecisionRecord> Decisions(WardenDbContext db, ComplianceScope scope)
    {
        var query = db.Decisions.AsNoTracking().Where(d => d.DecidedAt >= scope.Start && d.DecidedAt < scope.End);
        if (scope.AgentIds is { } ids)
        {
            var list = ids.ToList();
            query = query.Where(d => list.Contains(d.AgentId));
        }
        return query;
    }

    public static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n:N0} {many}";
}
