using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Autonomy;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Agents;
using Warden.Features.Autonomy;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

/// <summary>
/// The impact an agent declares is checked, not taken on trust: a payment that does not say how much it
/// moves is refused, and an outcome that reports more than its request declared, or more than a cap
/// allows, is a violation whose figures count toward the agent's running totals.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DeclaredImpactTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static AgentDraft Capped() => Draft() with { MaxRecordsPerAction = 50, DailyRecordBudget = 10_000 };

    [Fact]
    public async Task APaymentThatDeclaresNoAmount_IsRefusedWithTheRequirementNamed()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        var answer = await JsonOf(await DecideAsync(client, new { tool = "payments.send", operation = "execute", resource = "payments/out/7", parameters = new { } }));

        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        var reason = answer.GetProperty("reasons")[0];
        reason.GetProperty("code").GetString().ShouldBe(DecisionCodes.ImpactRequired);
        reason.GetProperty("message").GetString()!.ShouldContain("amount");
    }

    [Fact]
    public async Task APaymentThatDeclaresItsAmount_IsNotRefusedForIt()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        var answer = await JsonOf(await DecideAsync(client, Body("payments.send", "execute", "payments/out/7", amount: 10m)));

        answer.GetProperty("outcome").GetString().ShouldBe("pending");
    }

    [Fact]
    public async Task AnOutcomeReportingTenThousandTimesTheCap_IsACriticalViolation_AndTheNextRequestMeetsTheSpentBudget()
    {
        var agent = await RegisterAsync(app, Capped());
        using var client = Client(app, agent.Token);
        var allowed = await JsonOf(await DecideAsync(client, Body()));
        allowed.GetProperty("outcome").GetString().ShouldBe("allow");
        var id = allowed.GetProperty("id").GetString()!;

        using var reported = await client.PostAsJsonAsync($"/api/v1/decisions/{id}/outcome",
            new { grant = allowed.GetProperty("grant").GetProperty("token").GetString(), status = "succeeded", records = 99_999 }, AgentApiClient.Json, TestContext.Current.CancellationToken);
        var next = await JsonOf(await DecideAsync(client, Body()));

        reported.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = Contexts().CreateDbContext();
        var record = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id, TestContext.Current.CancellationToken);
        record.IsViolation.ShouldBeTrue();
        record.ViolationSeverity.ShouldBe(ViolationSeverity.Critical);
        record.Reasons.ShouldContain(DecisionCodes.ImpactOverCap);
        var outcomeEvent = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Kind == "decision.outcome_reported" && e.Subject == agent.Id).SingleAsync(TestContext.Current.CancellationToken);
        var data = JsonDocument.Parse(outcomeEvent.Data).RootElement;
        data.GetProperty("violation").GetString().ShouldBe(DecisionCodes.ImpactOverCap);
        data.GetProperty("declaredRecords").GetInt32().ShouldBe(1);
        next.GetProperty("outcome").GetString().ShouldBe("deny");
        next.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe(DecisionCodes.DailyBudgetExceeded);
        var violations = await app.AsUserAsync<ViolationService, Result<ViolationList>>(DemoAccounts.Officer, s => s.GetViolationsAsync(new ViolationFilter(null, AgentId: agent.Id)));
        violations.Value.Rows.ShouldContain(r => r.DecisionId == id && r.Code == DecisionCodes.ImpactOverCap);
    }

    [Fact]
    public async Task AnOutcomeReportingMoreThanDeclared_WithinTheCap_IsAViolation_AndItsExcessCountsToday()
    {
        var agent = await RegisterAsync(app, Capped());
        using var client = Client(app, agent.Token);
        var allowed = await JsonOf(await DecideAsync(client, Body()));
        var id = allowed.GetProperty("id").GetString()!;

        using var reported = await client.PostAsJsonAsync($"/api/v1/decisions/{id}/outcome",
            new { grant = allowed.GetProperty("grant").GetProperty("token").GetString(), status = "succeeded", records = 40 }, AgentApiClient.Json, TestContext.Current.CancellationToken);

        reported.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = Contexts().CreateDbContext();
        var record = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id, TestContext.Current.CancellationToken);
        record.IsViolation.ShouldBeTrue();
        record.ViolationSeverity.ShouldBe(ViolationSeverity.High);
        record.Reasons.ShouldContain(DecisionCodes.ImpactOverReported);
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        (await app.Services.GetRequiredService<UsageMeter>().CurrentAsync(agent.Id, now, TestContext.Current.CancellationToken)).RecordsToday.ShouldBe(40);
        // A meter that starts afresh (a restart) reads the same total from the stored decisions.
        var fresh = new UsageMeter(Contexts(), app.Services.GetRequiredService<StateEpoch>());
        (await fresh.CurrentAsync(agent.Id, now, TestContext.Current.CancellationToken)).RecordsToday.ShouldBe(40);
    }

    [Fact]
    public async Task AnOutcomesDetail_IsStoredAndAuditedMasked()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var allowed = await JsonOf(await DecideAsync(client, Body()));
        var id = allowed.GetProperty("id").GetString()!;

        using var reported = await client.PostAsJsonAsync($"/api/v1/decisions/{id}/outcome",
            new { grant = allowed.GetProperty("grant").GetProperty("token").GetString(), status = "failed", detail = "bounced: olivia@example.com, card 4111 1111 1111 1111" },
            AgentApiClient.Json, TestContext.Current.CancellationToken);

        reported.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = Contexts().CreateDbContext();
        var record = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id, TestContext.Current.CancellationToken);
        record.OutcomeDetail.ShouldNotBeNull();
        record.OutcomeDetail.ShouldStartWith("bounced: [email:");
        record.OutcomeDetail.ShouldNotContain("olivia@example.com");
        record.OutcomeDetail.ShouldNotContain("4111");
        var outcomeEvent = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Kind == "decision.outcome_reported" && e.Subject == agent.Id).SingleAsync(TestContext.Current.CancellationToken);
        outcomeEvent.Data.ShouldNotContain("olivia@example.com");
        JsonDocument.Parse(outcomeEvent.Data).RootElement.GetProperty("detail").GetString().ShouldBe(record.OutcomeDetail);
    }

    [Fact]
    public async Task AnHonestOutcome_IsNoViolation()
    {
        var agent = await RegisterAsync(app, Capped());
        using var client = Client(app, agent.Token);
        var allowed = await JsonOf(await DecideAsync(client, Body()));
        var id = allowed.GetProperty("id").GetString()!;

        using var reported = await ReportAsync(client, id, allowed.GetProperty("grant").GetProperty("token").GetString());

        reported.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = Contexts().CreateDbContext();
        var record = await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id, TestContext.Current.CancellationToken);
        record.IsViolation.ShouldBeFalse();
        record.ViolationSeverity.ShouldBeNull();
        record.Reasons.ShouldNotContain("impact_over");
    }

    [Fact]
    public async Task RepeatedOverReports_TripTheViolationBreaker()
    {
        await using var tripping = WardenAppFactory.With(new Dictionary<string, string?>
        {
            ["Containment:Breakers:0:Id"] = "over-reports",
            ["Containment:Breakers:0:Kind"] = "violations",
            ["Containment:Breakers:0:Threshold"] = "2",
            ["Containment:Breakers:0:WindowSeconds"] = "60",
            ["Containment:Breakers:0:Codes:0"] = DecisionCodes.ImpactOverReported,
        });
        var agent = await RegisterAsync(tripping, Capped());
        using var client = Client(tripping, agent.Token);

        for (var i = 0; i < 2; i++)
        {
            var allowed = await JsonOf(await DecideAsync(client, Body()));
            allowed.GetProperty("outcome").GetString().ShouldBe("allow");
            using var reported = await client.PostAsJsonAsync($"/api/v1/decisions/{allowed.GetProperty("id").GetString()}/outcome",
                new { grant = allowed.GetProperty("grant").GetProperty("token").GetString(), status = "succeeded", records = 20 }, AgentApiClient.Json, TestContext.Current.CancellationToken);
            reported.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var overview = await tripping.AsUserAsync<ContainmentService, Result<ContainmentOverview>>(DemoAccounts.Officer, s => s.GetOverviewAsync());
        var row = overview.Value.Active.ShouldHaveSingleItem();
        row.Target.ShouldBe(agent.Id);
        row.Reason.ShouldStartWith("breaker:over-reports");
        row.Source.ShouldBe(TripSource.Breaker);
        (await DecideAsync(client, Body())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private IDbContextFactory<WardenDbContext> Contexts() => app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
}
