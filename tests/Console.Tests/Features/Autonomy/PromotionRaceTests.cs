using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Autonomy;
using Warden.Features.Autonomy;
using Warden.Persistence;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

[Collection(AppCollection.Name)]
public sealed class PromotionRaceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private Task<Result<string>> RequestAsync(string agentId) =>
        app.AsUserAsync<AutonomyService, Result<string>>(DemoAccounts.Owner, s => s.RequestPromotionAsync(agentId, "supervised pilot"));

    [Fact]
    public async Task Decide_ByTwoOfficersAtOnce_HasExactlyOneWinnerAndRaisesTheLevelOnce()
    {
        var agent = await RegisterAsync(app);
        var requested = await RequestAsync(agent.Id);

        var results = await Task.WhenAll(
            app.AsUserAsync<AutonomyService, Result>(DemoAccounts.Officer, s => s.DecideAsync(requested.Value, true, "first")),
            app.AsUserAsync<AutonomyService, Result>(DemoAccounts.Officer2, s => s.DecideAsync(requested.Value, false, "second")));

        results.Count(r => r.IsSuccess).ShouldBe(1, string.Join("; ", results.Select(r => r.Error.ToString())));
        var loser = results.Single(r => r.IsFailure);
        loser.Error.Code.ShouldBeOneOf("promotion.already_decided", "agent.changed_meanwhile");
        var decided = (await EventsAsync(requested.Value, "autonomy.promotion_approved")) + (await EventsAsync(requested.Value, "autonomy.promotion_rejected"));
        decided.ShouldBe(1);
    }

    [Fact]
    public async Task Decide_AfterTheRequestExpired_IsRefusedAndRecordsTheExpiry()
    {
        var agent = await RegisterAsync(app);
        var requested = await RequestAsync(agent.Id);
        await LapseAsync(requested.Value);

        var decided = await app.AsUserAsync<AutonomyService, Result>(DemoAccounts.Officer, s => s.DecideAsync(requested.Value, true, "late"));

        decided.Error.ShouldBe(PromotionErrors.Expired);
        (await EventsAsync(requested.Value, "autonomy.promotion_expired")).ShouldBe(1);
        (await RequestAsync(agent.Id)).IsSuccess.ShouldBeTrue("an expired request leaves room for a new one");
    }

    private Task<int> EventsAsync(string requestId, string kind) => ApprovalScenario.EventsAsync(app, kind, requestId);

    private Task<bool> LapseAsync(string requestId) =>
        app.InScopeAsync(async sp =>
        {
            var past = sp.GetRequiredService<TimeProvider>().GetUtcNow().AddSeconds(-1);
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            var request = await db.PromotionRequests.SingleAsync(r => r.Id == requestId);
            db.Entry(request).Property(r => r.ExpiresAt).CurrentValue = past;
            await db.SaveChangesAsync();
            return true;
        });
}
