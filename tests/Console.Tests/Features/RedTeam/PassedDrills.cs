using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.RedTeam;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.RedTeam;

/// <summary>
/// For tests of what follows a promotion to levels 2 and 3: records that the agent passed its latest
/// red-team drill at level 3 (the criterion on by default), without running the whole corpus.
/// </summary>
internal static class PassedDrills
{
    public static async Task RecordAsync(WardenAppFactory app, string agentId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        db.Set<RedTeamDrillRun>().Add(new RedTeamDrillRun
        {
            Id = RedTeamDrillRun.IdPrefix + Guid.NewGuid().ToString("N"),
            AgentId = agentId,
            AgentName = "test",
            AtLevel = 3,
            CompletedAt = DateTimeOffset.UtcNow,
            CorpusVersion = "test",
            PolicyVersion = "test",
            RunBy = "test",
            Passed = 1,
            Total = 1,
            Score = 100,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
