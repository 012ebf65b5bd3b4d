using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Containment;
using Warden.Infrastructure.AgentIdentity;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Containment;

/// <summary>Containment survives restarts, trips itself on violation bursts, and answers security tooling.</summary>
[Collection(AppCollection.Name)]
public sealed class ContainmentSurvivalTests
{
    [Fact]
    public async Task AContainment_IsInForceFromTheFirstRequestAfterARestart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("warden-containment-").FullName;
        try
        {
            Decisions.TestAgent agent;
            await using (var before = WardenAppFactory.With(dataDirectory: dataDirectory))
            {
                agent = await RegisterAsync(before);
                var trip = await before.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer,
                    s => s.TripAsync(ContainmentScope.Agent, agent.Id, "compromised host"));
                trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
            }

            await using var after = WardenAppFactory.With(dataDirectory: dataDirectory);
            using var refused = await DecideAsync(Client(after, agent.Token), Body());
            var overview = await after.AsUserAsync<ContainmentService, Result<ContainmentOverview>>(DemoAccounts.Auditor, s => s.GetOverviewAsync());

            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await JsonOf(refused)).GetProperty("detail").GetString()!.ShouldContain("compromised host");
            overview.Value.Active.ShouldHaveSingleItem().Reason.ShouldBe("compromised host");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task ABurstOfViolations_TripsTheBreaker_WhichContainsTheAgent()
    {
        await using var app = WardenAppFactory.With(new Dictionary<string, string?>
        {
            ["Containment:Breakers:0:Id"] = "scope-probe",
            ["Containment:Breakers:0:Kind"] = "violations",
            ["Containment:Breakers:0:Threshold"] = "3",
            ["Containment:Breakers:0:WindowSeconds"] = "60",
            ["Containment:Breakers:0:Codes:0"] = "resource_out_of_scope",
        });
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        for (var i = 0; i < 3; i++)
            (await JsonOf(await DecideAsync(client, Body(resource: $"hr/salaries/{i}")))).GetProperty("outcome").GetString().ShouldBe("deny");

        ContainmentRow? row = null;
        for (var i = 0; i < 40 && row is null; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            row = (await app.AsUserAsync<ContainmentService, Result<ContainmentOverview>>(DemoAccounts.Officer, s => s.GetOverviewAsync()))
                .Value.Active.SingleOrDefault(r => r.Target == agent.Id);
        }
        row.ShouldNotBeNull();
        row.Reason.ShouldStartWith("breaker:scope-probe");
        row.Source.ShouldBe(TripSource.Breaker);
        row.CanRelease.ShouldBeTrue();
        (await DecideAsync(client, Body())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TheDecisionThatTripsABreaker_IsAnsweredOnlyOnceTheTripIsCommitted()
    {
        await using var app = WardenAppFactory.With(new Dictionary<string, string?>
        {
            ["Containment:Breakers:0:Id"] = "scope-probe",
            ["Containment:Breakers:0:Kind"] = "violations",
            ["Containment:Breakers:0:Threshold"] = "2",
            ["Containment:Breakers:0:WindowSeconds"] = "60",
            ["Containment:Breakers:0:Codes:0"] = "resource_out_of_scope",
        });
        var agent = await RegisterAsync(app);
        var breakers = app.Services.GetRequiredService<CircuitBreakers>();
        var registry = app.Services.GetRequiredService<ContainmentRegistry>();
        var refused = new Decision(DecisionOutcome.Deny, [new DecisionReason(DecisionCodes.ResourceOutOfScope, "out of scope")], RiskTier.Low, "test", IsViolation: true);
        DecisionCommitted Committed(int n) => new($"dec_test{n}", agent.Id, "owner", "sales", refused, DateTimeOffset.UtcNow, "crm.read", "hr/salaries", null, null, null);
        await breakers.HandleAsync(Committed(1), TestContext.Current.CancellationToken);
        registry.Current.Covering(agent.Id, "owner", "sales").ShouldBeNull();

        // What follows the tripping decision has finished when its handler returns: the trip is in force.
        await breakers.HandleAsync(Committed(2), TestContext.Current.CancellationToken);

        registry.Current.Covering(agent.Id, "owner", "sales").ShouldNotBeNull().Reason.ShouldStartWith("breaker:scope-probe");
    }

    [Fact]
    public async Task AHighDenyRatio_TripsTheBreaker_AndTheAuditLogNamesIt()
    {
        await using var app = WardenAppFactory.With(new Dictionary<string, string?>
        {
            ["Containment:Breakers:0:Id"] = "mostly-denied",
            ["Containment:Breakers:0:Kind"] = "deny_ratio",
            ["Containment:Breakers:0:Ratio"] = "0.75",
            ["Containment:Breakers:0:LastDecisions"] = "4",
        });
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        (await JsonOf(await DecideAsync(client, Body()))).GetProperty("outcome").GetString().ShouldBe("allow");
        for (var i = 0; i < 2; i++)
            (await JsonOf(await DecideAsync(client, Body(resource: $"hr/salaries/{i}")))).GetProperty("outcome").GetString().ShouldBe("deny");
        (await DecideAsync(client, Body())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.AsUserAsync<ContainmentService, Result<ContainmentOverview>>(DemoAccounts.Officer, s => s.GetOverviewAsync())).Value.Active.ShouldBeEmpty();
        (await JsonOf(await DecideAsync(client, Body(resource: "hr/salaries/9")))).GetProperty("outcome").GetString().ShouldBe("deny");

        ContainmentRow? row = null;
        for (var i = 0; i < 40 && row is null; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            row = (await app.AsUserAsync<ContainmentService, Result<ContainmentOverview>>(DemoAccounts.Officer, s => s.GetOverviewAsync()))
                .Value.Active.SingleOrDefault(r => r.Target == agent.Id);
        }
        row.ShouldNotBeNull();
        row.Reason.ShouldStartWith("breaker:mostly-denied");
        row.TrippedBy.ShouldBe("breaker:mostly-denied");
    }

    [Fact]
    public async Task SecurityTooling_TripsAndReadsThroughTheApi_ButCannotRelease_AndAgentTokensAreRefusedThere()
    {
        await using var app = WardenAppFactory.With();
        var agent = await RegisterAsync(app);
        var created = await app.AsUserAsync<AutomationClientService, Result<NewAutomationClient>>(DemoAccounts.Officer, s => s.CreateAsync("SOAR", [AutomationClient.ContainmentScope]));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        var token = await TokenAsync(app, created.Value.Id, created.Value.Secret);
        using var soar = Client(app, token);
        using var asAgent = Client(app, agent.Token);

        using var tripped = await soar.PostAsJsonAsync("/api/v1/containment", new { scope = "agent", target = agent.Id, reason = "SIEM rule 17" }, TestContext.Current.CancellationToken);
        using var listed = await soar.GetAsync(new Uri("/api/v1/containment", UriKind.Relative), TestContext.Current.CancellationToken);
        var tripBody = await JsonOf(tripped);
        var list = await JsonOf(listed);
        using var release = await soar.PostAsJsonAsync($"/api/v1/containment/{tripBody.GetProperty("id").GetString()}/release", new { reason = "x" }, TestContext.Current.CancellationToken);
        using var agentOnAutomation = await asAgent.GetAsync(new Uri("/api/v1/containment", UriKind.Relative), TestContext.Current.CancellationToken);
        using var soarOnAgentApi = await DecideAsync(soar, Body());
        using var bad = await soar.PostAsJsonAsync("/api/v1/containment", new { scope = "planet", reason = "x" }, TestContext.Current.CancellationToken);

        tripped.StatusCode.ShouldBe(HttpStatusCode.Created);
        tripBody.GetProperty("agentsContained").GetInt32().ShouldBe(1);
        list.EnumerateArray().ShouldContain(c => c.GetProperty("target").GetString() == agent.Id && c.GetProperty("reason").GetString() == "SIEM rule 17");
        release.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        agentOnAutomation.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized);
        soarOnAgentApi.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await app.AsUserAsync<AutomationClientService, Result>(DemoAccounts.Officer, s => s.RevokeAsync(created.Value.Id))).IsSuccess.ShouldBeTrue();
        using var afterRevoke = await soar.GetAsync(new Uri("/api/v1/containment", UriKind.Relative), TestContext.Current.CancellationToken);
        afterRevoke.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
