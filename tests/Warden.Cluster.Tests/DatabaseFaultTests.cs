using System.Diagnostics;
using System.Globalization;
using System.Net;
using Warden.Cluster.Tests.Support;

namespace Warden.Cluster.Tests;

/// <summary>An instance whose own PostgreSQL server stops, hangs, and comes back.</summary>
public sealed class DatabaseFaultFixture : IAsyncLifetime
{
    public PostgresServer Server { get; } = new();

    public WardenCluster Cluster { get; private set; } = null!;

    public WardenInstance Instance => Cluster.A;

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        // Short bounds, so a hung server shows quickly; the defaults are 5 s and 15 s.
        Cluster = await WardenCluster.StartAsync(Server, instances: 1, demo: true, new Dictionary<string, string>
        {
            ["Database:ConnectTimeoutSeconds"] = "2",
            ["Database:CommandTimeoutSeconds"] = "3",
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Issue 17, point 6: a database that is down or hung answers 503 problem details (never a 500, an
/// HTML page or an allow) within a bound, and the instance recovers without a restart.
/// </summary>
public sealed class DatabaseFaultTests(DatabaseFaultFixture fixture) : IClassFixture<DatabaseFaultFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryPatience = TimeSpan.FromSeconds(60);

    /// <summary>A decision refused for want of a database: whichever stage met it first, a 503 problem that never allows.</summary>
    private static readonly string[] DecisionRefusals = ["decision-unavailable", "database-unavailable"];

    private WardenInstance Instance => fixture.Instance;

    [Fact]
    public async Task DatabaseStopped_RefusesWithProblemsAndNotReady_ThenRecoversWithoutRestart()
    {
        var agent = await AgentClient.SignInAsync(Instance);
        var allowed = await agent.DecideOkAsync(AgentClient.ReadTicket(1));
        var (decisionId, grant) = (allowed.GetProperty("id").GetString()!, allowed.GetProperty("grant").GetProperty("token").GetString()!);

        await fixture.Server.StopAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            using var decision = await agent.DecideAsync(AgentClient.ReadTicket(2));
            using var outcome = await agent.ReportOutcomeAsync(decisionId, grant);
            using var token = await AgentClient.RequestTokenAsync(Instance, agent.ClientId, AgentClient.DemoSecret);
            using var ready = await Instance.Http.GetAsync(new Uri("readyz", UriKind.Relative), TestContext.Current.CancellationToken);
            clock.Elapsed.ShouldBeLessThan(Bound * 4, "four calls, each within the bound");

            await decision.ShouldBeProblemAsync(503, DecisionRefusals, Instance);
            await outcome.ShouldBeProblemAsync(503, "database-unavailable", Instance);
            await token.ShouldBeProblemAsync(503, "database-unavailable", Instance);
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var readiness = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            readiness.GetProperty("status").GetString().ShouldBe("unavailable");
            readiness.GetProperty("checks").GetProperty("database").GetString().ShouldBe("failing");
        }
        finally
        {
            await fixture.Server.StartAsync();
        }

        var again = await DecideUntilAnsweredAsync(agent, 3);
        using var late = await agent.ReportOutcomeAsync(decisionId, grant);
        again.GetProperty("outcome").GetString().ShouldBe("allow");
        await late.ShouldBeJsonAsync(200, Instance);
        Instance.IsRunning.ShouldBeTrue();
        await Instance.WaitUntilReadyAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DatabaseHung_AnswersProblemsWithinTheTimeouts_ThenRecovers()
    {
        var agent = await AgentClient.SignInAsync(Instance);
        var allowed = await agent.DecideOkAsync(AgentClient.ReadTicket(10));
        var (decisionId, grant) = (allowed.GetProperty("id").GetString()!, allowed.GetProperty("grant").GetProperty("token").GetString()!);

        var frozen = await fixture.Server.FreezeAsync();
        TimeSpan decisionTook, outcomeTook;
        try
        {
            var clock = Stopwatch.StartNew();
            using var decision = await agent.DecideAsync(AgentClient.ReadTicket(11));
            decisionTook = clock.Elapsed;
            clock.Restart();
            using var outcome = await agent.ReportOutcomeAsync(decisionId, grant);
            outcomeTook = clock.Elapsed;

            await decision.ShouldBeProblemAsync(503, DecisionRefusals, Instance);
            await outcome.ShouldBeProblemAsync(503, "database-unavailable", Instance);
        }
        finally
        {
            await PostgresServer.ThawAsync(frozen);
        }

        decisionTook.ShouldBeLessThan(Bound);
        outcomeTook.ShouldBeLessThan(Bound);
        (await DecideUntilAnsweredAsync(agent, 12)).GetProperty("outcome").GetString().ShouldBe("allow");
    }

    /// <summary>Asks until the instance answers 200 (it may refuse with 503 while reconnecting), within the patience.</summary>
    private async Task<System.Text.Json.JsonElement> DecideUntilAnsweredAsync(AgentClient agent, int ticket)
    {
        var clock = Stopwatch.StartNew();
        var refusals = 0;
        while (true)
        {
            using var response = await agent.DecideAsync(AgentClient.ReadTicket(ticket));
            if (response.StatusCode == HttpStatusCode.OK)
                return await response.ShouldBeJsonAsync(200, Instance);
            await response.ShouldBeProblemAsync(503, DecisionRefusals, Instance);
            refusals++;
            clock.Elapsed.ShouldBeLessThan(RecoveryPatience,
                $"still refused after {refusals.ToString(CultureInfo.InvariantCulture)} tries; the instance did not recover\n{Instance.Output}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
