using Microsoft.EntityFrameworkCore;
using Warden.Domain.Approvals;
using Warden.Persistence;

namespace Warden.Features.Approvals;

/// <summary>
/// What the load figures need of the requests opened since a moment, read as narrow rows: how long each
/// decided request took, and each vote with the few columns of its request that the figures use. No
/// request is loaded whole (reading them with their votes took 650 ms for a week at a million a year).
/// </summary>
internal static class ApprovalLoadReader
{
    public static async Task<(List<TimeSpan> Decided, List<LoadVote> Votes)> ReadAsync(WardenDbContext db, DateTimeOffset since, CancellationToken ct)
    {
        var decided = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.OpenedAt >= since && (r.State == ApprovalState.Approved || r.State == ApprovalState.Denied) && r.ResolvedAt != null)
            .Select(r => new { r.OpenedAt, r.ResolvedAt })
            .ToListAsync(ct);
        var votes = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.OpenedAt >= since)
            .SelectMany(r => r.Votes, (r, v) => new
            {
                RequestId = r.Id, r.AgentId, r.OpenedAt, Order = EF.Property<int>(v, "Id"), v.VoterId, v.VoterName, v.Verdict, v.CastAt,
            })
            .ToListAsync(ct);
        // The order the figures were defined in: requests by id, a request's votes as cast.
        return (decided.Select(d => d.ResolvedAt!.Value - d.OpenedAt).ToList(),
                votes.OrderBy(v => v.RequestId, StringComparer.Ordinal).ThenBy(v => v.Order)
                    .Select(v => new LoadVote(v.RequestId, v.AgentId, v.OpenedAt, v.VoterId.Value, v.VoterName, v.Verdict, v.CastAt))
                    .ToList());
    }
}
