using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

/// <summary>The decision path reads agents from memory; a committed change must reach the very next decision.</summary>
[Collection(AppCollection.Name)]
public sealed class LiveAgentsTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task Decide_RightAfterTheOwnerRemovesATool_IsDeniedForThatTool()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var before = await DecideAsync(client, Body());
        (await JsonOf(before)).GetProperty("outcome").GetString().ShouldBe("allow");

        var withoutRead = Draft() with { Tools = [.. Draft().Tools.Where(t => t.Name != "crm.read")] };
        var edited = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Owner, s => s.EditAsync(agent.Id, withoutRead));
        edited.IsSuccess.ShouldBeTrue(edited.Error.ToString());
        using var after = await DecideAsync(client, Body());

        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await JsonOf(after);
        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        answer.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe("tool_not_allowed");
    }

    [Fact]
    public async Task GetAsync_AChangeInsideATransaction_IsSeenOnlyOnceItCommits()
    {
        var agent = await RegisterAsync(app);
        var id = AgentId.TryParse(agent.Id, out var parsed) ? parsed : throw new InvalidOperationException(agent.Id);
        var live = app.Services.GetRequiredService<LiveAgents>();
        var contexts = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        var ct = TestContext.Current.CancellationToken;
        (await live.GetAsync(id, ct))!.AutonomyLevel.ShouldBe(0);

        await using (var db = contexts.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var tracked = await db.Agents.SingleAsync(a => a.Id == id, ct);
            tracked.ChangeAutonomyLevel(2, DateTimeOffset.UtcNow).IsSuccess.ShouldBeTrue();
            await db.SaveChangesAsync(ct);

            (await live.GetAsync(id, ct))!.AutonomyLevel.ShouldBe(0);
            await transaction.CommitAsync(ct);
        }

        (await live.GetAsync(id, ct))!.AutonomyLevel.ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_ARolledBackChange_LeavesTheCommittedAgent()
    {
        var agent = await RegisterAsync(app);
        var id = AgentId.TryParse(agent.Id, out var parsed) ? parsed : throw new InvalidOperationException(agent.Id);
        var live = app.Services.GetRequiredService<LiveAgents>();
        var contexts = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        var ct = TestContext.Current.CancellationToken;

        await using (var db = contexts.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var tracked = await db.Agents.SingleAsync(a => a.Id == id, ct);
            tracked.ChangeAutonomyLevel(3, DateTimeOffset.UtcNow).IsSuccess.ShouldBeTrue();
            await db.SaveChangesAsync(ct);
            await transaction.RollbackAsync(ct);
        }

        (await live.GetAsync(id, ct))!.AutonomyLevel.ShouldBe(0);
    }
}
