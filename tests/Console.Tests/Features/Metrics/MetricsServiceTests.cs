using Warden.Domain;
using Warden.Domain.Metrics;
using Warden.Features.Metrics;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Metrics;

[Collection(AppCollection.Name)]
public sealed class MetricsServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_ForAnAgentWithThreeAllowedCallsAndOneUndeclaredTool_CountFromTheStoredDecisions()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        for (var i = 0; i < 3; i++)
            (await DecideAsync(client, Body())).Dispose();
        (await DecideAsync(client, Body("mail.send", "write"))).Dispose();

        var report = await app.AsUserAsync<MetricsService, Result<MetricsReport>>(DemoAccounts.Officer,
            s => s.GetMetricsAsync(new MetricsQuery(7, MetricScope.Agent(agent.Id)), Ct));

        report.IsSuccess.ShouldBeTrue(report.IsFailure ? report.Error.ToString() : null);
        var figures = report.Value.Figures;
        // Four calls, one outside the allowlist: 3/4 within; one unsafe attempt in seven days: 604,800 s between.
        (figures.ToolCalls.Current, figures.WithinAllowlistShare.Current, figures.UnsafeAttempts.Current).ShouldBe((4.0, 0.75, 1.0));
        figures.MeanTimeBetweenUnsafeAttempts.Current.ShouldBe(604_800.0);
        figures.ToolCalls.Previous.ShouldBe(0.0);
        report.Value.Buckets.Sum(b => b.UnsafeAttempts).ShouldBe(1);
    }

    [Fact]
    public async Task Metrics_OfAnotherOwnersAgent_AreRefusedToAnOwner()
    {
        var agent = await RegisterAsync(app);

        var report = await app.AsUserAsync<MetricsService, Result<MetricsReport>>(DemoAccounts.Owner2,
            s => s.GetMetricsAsync(new MetricsQuery(7, MetricScope.Agent(agent.Id)), Ct));
        var overall = await app.AsUserAsync<MetricsService, Result<MetricsReport>>(DemoAccounts.Owner2,
            s => s.GetMetricsAsync(new MetricsQuery(7, MetricScope.Overall), Ct));

        report.Error.ShouldBe(MetricsService.ScopeNotVisible);
        overall.Error.ShouldBe(MetricsService.ScopeNotVisible);
    }

    [Fact]
    public async Task Metrics_ForTheirOwnAgent_AreShownToItsOwner()
    {
        var agent = await RegisterAsync(app);

        var report = await app.AsUserAsync<MetricsService, Result<MetricsReport>>(DemoAccounts.Owner,
            s => s.GetMetricsAsync(new MetricsQuery(30, MetricScope.Agent(agent.Id)), Ct));
        var scopes = await app.AsUserAsync<MetricsService, Result<IReadOnlyList<MetricScopeChoice>>>(DemoAccounts.Owner, s => s.GetScopesAsync(Ct));

        report.IsSuccess.ShouldBeTrue();
        scopes.Value.ShouldContain(c => c.Scope == MetricScope.Agent(agent.Id));
        scopes.Value.ShouldNotContain(c => c.Scope == MetricScope.Overall);
    }

    [Fact]
    public async Task Metrics_ForAPeriodNotOffered_AreRefused()
    {
        var report = await app.AsUserAsync<MetricsService, Result<MetricsReport>>(DemoAccounts.Officer,
            s => s.GetMetricsAsync(new MetricsQuery(5, MetricScope.Overall), Ct));

        report.Error.ShouldBe(MetricsService.PeriodInvalid);
    }
}
