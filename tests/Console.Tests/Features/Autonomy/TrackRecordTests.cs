using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.Autonomy;
using Warden.Features.Decisions;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Autonomy;

/// <summary>The track record a promotion is measured on, from the agent's stored decisions.</summary>
[Collection(AppCollection.Name)]
public sealed class TrackRecordTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DecisionsAtLevel_CountsTheAgentsDecisionsSinceItsLevelButNotTheReviewsOfOutputs()
    {
        var agent = await RegisterAsync(app);
        var other = await RegisterAsync(app);
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel))
        {
            db.Decisions.AddRange(
                Decision(agent.Id, "a1", now.AddMinutes(1)),
                Decision(agent.Id, "a2", now.AddMinutes(2)),
                Decision(agent.Id, "a3", now.AddMinutes(3)),
                Decision(agent.Id, "r1", now.AddMinutes(4), reviewOf: "a1"),
                Decision(agent.Id, "r2", now.AddMinutes(5), reviewOf: "a2"),
                Decision(agent.Id, "early", now.AddDays(-30)),
                Decision(other.Id, "b1", now.AddMinutes(1)));
            await db.SaveChangesAsync(Cancel);
        }

        var record = await MeasureAsync(agent.Id);

        record.DecisionsAtLevel.ShouldBe(3);
    }

    private static DecisionRecord Decision(string agentId, string name, DateTimeOffset at, string? reviewOf = null) => new()
    {
        Id = $"dec_track_{name}_{Guid.NewGuid():N}"[..40],
        AgentId = agentId,
        DecidedAt = at,
        Tool = "crm.read",
        Operation = "read",
        Resource = "crm/accounts/1",
        Outcome = DecisionOutcome.Allow,
        State = DecisionState.Allowed,
        PolicyVersion = "p-1",
        RequestDigest = "digest",
        ReviewOf = reviewOf is null ? null : $"dec_track_{reviewOf}",
    };

    private Task<Warden.Domain.Autonomy.TrackRecord> MeasureAsync(string agentId) => app.InScopeAsync(async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
        var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == AgentId.Parse(agentId), Cancel);
        return await TrackRecords.MeasureAsync(db, agent, sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.AttestationPeriod,
            sp.GetRequiredService<IEvidenceCheck>(), sp.GetRequiredService<TimeProvider>().GetUtcNow(), Cancel, checkEvidence: false);
    });
}
