using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Autonomy;
using Warden.Domain.Behaviour;
using Warden.Features.Autonomy;
using Warden.Features.Behaviour;
using Warden.Features.Guardrails;
using Warden.Persistence;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Behaviour;

/// <summary>An app whose baselines warm up after three decisions and whose breaker trips at the new-tool score.</summary>
public sealed class QuickBaselinesApp() : WardenAppFactory(new Dictionary<string, string?>
{
    ["Behaviour:Baselines:NewToolWarmup"] = "3",
    ["Behaviour:TripBreakerAtScore"] = "60",
});

[Collection(AppCollection.Name)]
public sealed class AnomalyFlowTests(QuickBaselinesApp app) : IClassFixture<QuickBaselinesApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TestAgent Agent, string DecisionId)> NewToolAfterWarmupAsync()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        for (var i = 0; i < 3; i++)
            (await DecideAsync(client, Body())).Dispose();
        using var response = await DecideAsync(client, Body("payments.send", "execute", "payments/out/1", amount: 10m));
        var id = (await JsonOf(response)).GetProperty("id").GetString()!;
        await app.Services.GetRequiredService<BehaviourMonitor>().DrainAsync(Ct);
        return (agent, id);
    }

    [Fact]
    public async Task Decision_WithAToolTheAgentNeverUsed_RaisesAnAlertRecordedAsAnAnomalyViolation()
    {
        var (agent, decisionId) = await NewToolAfterWarmupAsync();

        var behaviour = await app.AsUserAsync<BehaviourService, Result<AgentBehaviour>>(DemoAccounts.Officer, s => s.GetAgentBehaviourAsync(agent.Id, Ct));
        var violations = await app.AsUserAsync<ViolationService, Result<ViolationList>>(DemoAccounts.Auditor, s => s.GetViolationsAsync(new ViolationFilter(null, AgentId: agent.Id), Ct));

        var alert = behaviour.Value.Alerts.ShouldHaveSingleItem();
        (alert.Kind, alert.DecisionId, alert.Score).ShouldBe((AnomalyKind.NewTool, decisionId, 60));
        alert.Explanation.ShouldContain("payments.send");
        behaviour.Value.Baseline!.Observations.ShouldBe(4);
        var violation = violations.Value.Rows.Single(r => r.DecisionId == decisionId);
        violation.Code.ShouldBe("anomaly");
        violation.Severity.ShouldBe(ViolationSeverity.Medium);
        (await ApprovalScenario.EventsAsync(app, "anomaly.detected", decisionId)).ShouldBe(1);
    }

    [Fact]
    public async Task Anomaly_ScoringAtTheTripBound_TripsTheAgentsBreakerSoItsNextRequestIsRefused()
    {
        var (agent, _) = await NewToolAfterWarmupAsync();
        using var client = Client(app, agent.Token);

        var behaviour = await app.AsUserAsync<BehaviourService, Result<AgentBehaviour>>(DemoAccounts.Officer, s => s.GetAgentBehaviourAsync(agent.Id, Ct));
        using var next = await DecideAsync(client, Body());

        behaviour.Value.Alerts.ShouldHaveSingleItem().ContainmentId.ShouldNotBeNull();
        if (next.IsSuccessStatusCode)
            (await JsonOf(next)).GetProperty("outcome").GetString().ShouldBe("deny");
    }

    [Fact]
    public async Task Baselines_AfterASnapshot_AreStoredSoARestartResumesThem()
    {
        var (agent, _) = await NewToolAfterWarmupAsync();

        await app.Services.GetRequiredService<BehaviourMonitor>().SaveAsync(Ct);

        var stored = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Ct);
            return await db.AgentBaselines.AsNoTracking().SingleAsync(b => b.AgentId == agent.Id, Ct);
        });
        stored.Observations.ShouldBe(4);
        stored.State.ShouldContain("payments.send");
    }

    [Fact]
    public async Task AgentBehaviour_OfAnotherOwnersAgent_IsNotShown()
    {
        var (agent, _) = await NewToolAfterWarmupAsync();

        var result = await app.AsUserAsync<BehaviourService, Result<AgentBehaviour>>(DemoAccounts.Owner2, s => s.GetAgentBehaviourAsync(agent.Id, Ct));
        var alerts = await app.AsUserAsync<BehaviourService, Result<IReadOnlyList<AnomalyAlertRow>>>(DemoAccounts.Owner2, s => s.GetAlertsAsync(100, Ct));

        result.Error.Code.ShouldBe("agent.not_found");
        alerts.Value.ShouldNotContain(a => a.AgentId == agent.Id);
    }

    [Fact]
    public async Task Anomaly_ConfiguredCritical_DemotesTheAgentToLevelZeroAtOnce()
    {
        await using var critical = WardenAppFactory.With(new Dictionary<string, string?>
        {
            ["Behaviour:Baselines:NewToolWarmup"] = "3",
            ["Behaviour:TripBreakerAtScore"] = "100",
            ["Autonomy:Severities:anomaly"] = "Critical",
        });
        var agent = await RegisterAsync(critical);
        await critical.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Ct);
            var tracked = await db.Agents.SingleAsync(a => a.Id == Warden.Domain.Agents.AgentId.Parse(agent.Id), Ct);
            tracked.ChangeAutonomyLevel(2, DateTimeOffset.UtcNow).IsSuccess.ShouldBeTrue();
            await db.SaveChangesAsync(Ct);
            return 0;
        });
        using var client = Client(critical, agent.Token);
        for (var i = 0; i < 3; i++)
            (await DecideAsync(client, Body())).Dispose();
        (await DecideAsync(client, Body("payments.send", "execute", "payments/out/1", amount: 10m))).Dispose();

        await critical.Services.GetRequiredService<BehaviourMonitor>().DrainAsync(Ct);

        var level = await critical.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Ct);
            return (await db.Agents.AsNoTracking().SingleAsync(a => a.Id == Warden.Domain.Agents.AgentId.Parse(agent.Id), Ct)).AutonomyLevel;
        });
        level.ShouldBe(0);
    }
}
