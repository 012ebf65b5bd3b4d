using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Jobs;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Jobs;

[Collection(AppCollection.Name)]
public sealed class HousekeepingJobTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task RunAsync_RecordsOneRun()
    {
        var before = await RunIdsAsync();

        await RunJobAsync();

        var added = (await RunsAsync()).Where(r => !before.Contains(r.Id)).ToList();
        var run = added.ShouldHaveSingleItem();
        run.Detail.ShouldContain("write-ahead log checkpointed");
        run.FinishedAt.ShouldBeGreaterThanOrEqualTo(run.StartedAt);
    }

    [Fact]
    public async Task RunAsync_Twice_RecordsTwoRunsWithoutError()
    {
        var before = await RunIdsAsync();

        await RunJobAsync();
        await RunJobAsync();

        (await RunsAsync()).Count(r => !before.Contains(r.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task RunAsync_TrimsRunsOlderThanThirtyDaysAndKeepsRecentOnes()
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var old = await AddRunAsync(now.AddDays(-31));
        var recent = await AddRunAsync(now.AddDays(-29));

        await RunJobAsync();

        var ids = await RunIdsAsync();
        ids.ShouldNotContain(old);
        ids.ShouldContain(recent);
        (await RunsAsync()).OrderByDescending(r => r.Id).First().Detail.ShouldContain("1 old run(s) trimmed");
    }

    [Fact]
    public async Task RunAsync_ForgetsClientAssertionsAnHourPastExpiry_AndKeepsTheRest()
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var run = Guid.NewGuid().ToString("N");
        await using (var db = await CreateContextAsync())
        {
            db.Set<UsedClientAssertion>().AddRange(
                new UsedClientAssertion { Jti = $"agt_x|{run}-old", AgentId = "agt_x", ExpiresAt = now - HousekeepingJob.AssertionsKeptAfterExpiry - TimeSpan.FromMinutes(1) },
                new UsedClientAssertion { Jti = $"agt_x|{run}-just-expired", AgentId = "agt_x", ExpiresAt = now - TimeSpan.FromMinutes(5) },
                new UsedClientAssertion { Jti = $"agt_x|{run}-live", AgentId = "agt_x", ExpiresAt = now + TimeSpan.FromMinutes(5) });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await RunJobAsync();

        await using var check = await CreateContextAsync();
        var left = await check.Set<UsedClientAssertion>().Where(a => a.Jti.Contains(run)).Select(a => a.Jti).ToListAsync(TestContext.Current.CancellationToken);
        left.ShouldBe([$"agt_x|{run}-just-expired", $"agt_x|{run}-live"], ignoreOrder: true);
        (await RunsAsync()).OrderByDescending(r => r.Id).First().Detail.ShouldContain("expired client assertion(s) forgotten");
    }

    private async Task RunJobAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HousekeepingJob>().RunAsync(TestContext.Current.CancellationToken);
    }

    private async Task<long> AddRunAsync(DateTimeOffset startedAt)
    {
        await using var db = await CreateContextAsync();
        var run = new HousekeepingRun { StartedAt = startedAt, FinishedAt = startedAt, Detail = "seeded by a test" };
        db.HousekeepingRuns.Add(run);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return run.Id;
    }

    private async Task<List<HousekeepingRun>> RunsAsync()
    {
        await using var db = await CreateContextAsync();
        return await db.HousekeepingRuns.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<HashSet<long>> RunIdsAsync() => (await RunsAsync()).Select(r => r.Id).ToHashSet();

    private Task<WardenDbContext> CreateContextAsync() =>
        app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
}
