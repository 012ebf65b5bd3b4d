using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Autonomy;
using Warden.Features.Evidence;
using Warden.Persistence;
using Warden.Tests.Features.Evidence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

/// <summary>The "last evidence pack verified" criterion reads the newest pack covering the agent and verifies its stored files.</summary>
[Collection(AppCollection.Name)]
public sealed class EvidenceCriterionTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private Task<bool?> MeasureAsync(string agentId) => app.InScopeAsync(async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == AgentId.Parse(agentId), TestContext.Current.CancellationToken);
        var record = await TrackRecords.MeasureAsync(db, agent, sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.AttestationPeriod,
            sp.GetRequiredService<IEvidenceCheck>(), sp.GetRequiredService<TimeProvider>().GetUtcNow(), TestContext.Current.CancellationToken);
        return record.EvidenceVerified;
    });

    private async Task<EvidencePackRow> AgentPackAsync(string agentId)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var pack = await EvidenceScenario.GenerateAsync(app, DemoAccounts.Auditor, new EvidenceRequest(EvidenceScope.Agent, agentId, now.AddHours(-1), now.AddHours(1)));
        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        return pack;
    }

    [Fact]
    public async Task EvidenceVerified_WithAVerifiedPackForTheAgent_IsTrue()
    {
        var agent = await RegisterAsync(app);
        await AgentPackAsync(agent.Id);

        (await MeasureAsync(agent.Id)).ShouldBe(true);
    }

    [Fact]
    public async Task EvidenceVerified_WhenTheLatestPacksFilesWereAltered_IsFalse()
    {
        var agent = await RegisterAsync(app);
        var pack = await AgentPackAsync(agent.Id);
        await EvidenceScenario.TamperAsync(app, pack.Id, EvidenceFiles.Pdf);

        (await MeasureAsync(agent.Id)).ShouldBe(false);
    }

    [Fact]
    public async Task EvidenceVerified_WithNoPackCoveringTheAgent_IsFalse()
    {
        var agent = await RegisterAsync(app, Draft() with { Segment = "segment-without-packs-" + Guid.NewGuid().ToString("N")[..6] });

        var check = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
            var entity = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == AgentId.Parse(agent.Id), TestContext.Current.CancellationToken);
            return await sp.GetRequiredService<IEvidenceCheck>().LatestAsync(db, entity, TestContext.Current.CancellationToken);
        });

        check.ShouldBeNull();
        (await MeasureAsync(agent.Id)).ShouldBe(false);
    }
}
