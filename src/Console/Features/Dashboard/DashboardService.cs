using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Dashboard;

public sealed record RoleCount(string Role, int People);

public sealed record DashboardSummary(
    int ActivePeople,
    int DisabledPeople,
    IReadOnlyList<RoleCount> PeopleByRole,
    DateTimeOffset? LastHousekeepingAt,
    string? LastHousekeepingDetail);

public sealed class DashboardService(AccessGuard access, IDbContextFactory<WardenDbContext> contexts)
{
    public async Task<Result<DashboardSummary>> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync();
        if (actor.IsFailure)
            return actor.Error;

        await using var db = contexts.CreateDbContext();
        var active = await db.Users.CountAsync(u => !u.IsDisabled, cancellationToken);
        var disabled = await db.Users.CountAsync(u => u.IsDisabled, cancellationToken);
        var byRole = await (from link in db.UserRoles
                            join role in db.Roles on link.RoleId equals role.Id
                            join user in db.Users on link.UserId equals user.Id
                            where !user.IsDisabled
                            group link by role.Name into g
                            select new { Role = g.Key!, People = g.Count() }).ToListAsync(cancellationToken);
        var counts = Roles.All
            .Select(r => new RoleCount(r, byRole.SingleOrDefault(x => x.Role == r)?.People ?? 0))
            .ToList();
        var last = await db.HousekeepingRuns.OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        return new DashboardSummary(active, disabled, counts, last?.FinishedAt, last?.Detail);
    }
}
