using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

/// <summary>
/// A dry run answers what the decision path would say, and reserves nothing: no decision, no grant,
/// no approval request, nothing counted against the rate limit or the budgets, also when dry runs
/// race real requests. Each is one <c>decision.dry_run</c> audit event.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DryRunTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Dry(string tool = "crm.read", string operation = "read", string resource = "crm/accounts/42", int records = 1, decimal? amount = null) => new
    {
        tool,
        operation,
        resource,
        parameters = new { },
        impact = new { records, amount, currency = amount is null ? null : "EUR" },
        dryRun = true,
    };

    [Fact]
    public async Task ADryRunOfAnAllowedRequest_SaysAllow_WithoutAGrant_AndLeavesNoDecision_AndOneAuditEvent()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var usage = app.Services.GetRequiredService<UsageMeter>();
        var before = await usage.CurrentAsync(agent.Id, DateTimeOffset.UtcNow, Cancel);

        using var response = await DecideAsync(client, Dry());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await JsonOf(response);

        answer.GetProperty("outcome").GetString().ShouldBe("allow");
        answer.GetProperty("state").GetString().ShouldBe(DryRuns.State);
        answer.GetProperty("id").GetString()!.ShouldStartWith("dry_");
        answer.GetProperty("grant").ValueKind.ShouldBe(JsonValueKind.Null);
        answer.GetProperty("approval").ValueKind.ShouldBe(JsonValueKind.Null);
        (await usage.CurrentAsync(agent.Id, DateTimeOffset.UtcNow, Cancel)).ShouldBe(before);
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        (await db.Decisions.CountAsync(d => d.AgentId == agent.Id, Cancel)).ShouldBe(0);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == agent.Id && e.Kind == DryRuns.AuditKind).ToListAsync(Cancel);
        events.Count.ShouldBe(1);
        events[0].Data.ShouldContain("\"outcome\":\"allow\"");
        events[0].Data.ShouldContain(answer.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task DryRuns_CountTowardNoRateLimit_EvenRacingRealRequests()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 3));
        using var client = Client(app, agent.Token);
        await AwayFromTheMinuteBoundaryAsync();

        var (dry, real) = await RaceAsync(client, Dry(), RealRead(1), dryRuns: 30, reals: 3, DecisionCodes.RateLimited);

        foreach (var answer in real)
            answer.GetProperty("outcome").GetString().ShouldBe("allow", "dry runs took nothing of the rate limit");
        await ShouldBeRefusedForAsync(client, DecisionCodes.RateLimited);
        await ShouldStayUnrecordedAsync(agent.Id, dry, decisions: 4);
    }

    [Fact]
    public async Task DryRuns_CountTowardNoBudget_EvenRacingRealRequests()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 1000) with { DailyRecordBudget = 6 });
        using var client = Client(app, agent.Token);

        // Dry runs for the whole budget, racing three real requests of two records each.
        var (dry, real) = await RaceAsync(client, Dry(records: 6), RealRead(2), dryRuns: 20, reals: 3, DecisionCodes.DailyBudgetExceeded);

        foreach (var answer in real)
            answer.GetProperty("outcome").GetString().ShouldBe("allow", "dry runs took nothing of the budget");
        (await app.Services.GetRequiredService<UsageMeter>().CurrentAsync(agent.Id, DateTimeOffset.UtcNow, Cancel)).RecordsToday.ShouldBe(6);
        await ShouldBeRefusedForAsync(client, DecisionCodes.DailyBudgetExceeded);
        await ShouldStayUnrecordedAsync(agent.Id, dry, decisions: 4);
    }

    /// <summary>
    /// Sends the dry runs and the real requests at once. Every dry run answers as one: allow, or (once
    /// the real requests spent the limit) a deny for <paramref name="limit"/>, which is what a real
    /// request would get then.
    /// </summary>
    private static async Task<(List<JsonElement> Dry, List<JsonElement> Real)> RaceAsync(HttpClient client, object dry, object real, int dryRuns, int reals, string limit)
    {
        var dryTasks = Enumerable.Range(0, dryRuns).Select(_ => AnswerAsync(client, dry)).ToList();
        var realTasks = Enumerable.Range(0, reals).Select(_ => AnswerAsync(client, real)).ToList();
        var dryAnswers = (await Task.WhenAll(dryTasks)).ToList();
        var realAnswers = (await Task.WhenAll(realTasks)).ToList();
        foreach (var answer in dryAnswers)
        {
            answer.GetProperty("state").GetString().ShouldBe(DryRuns.State);
            if (answer.GetProperty("outcome").GetString() != "allow")
                answer.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe(limit);
        }
        return (dryAnswers, realAnswers);
    }

    /// <summary>The next real request is refused for <paramref name="code"/>, and a dry run says it would be.</summary>
    private static async Task ShouldBeRefusedForAsync(HttpClient client, string code)
    {
        var next = await AnswerAsync(client, RealRead(1));
        next.GetProperty("outcome").GetString().ShouldBe("deny");
        next.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe(code);
        var wouldBe = await AnswerAsync(client, Dry(records: 1));
        wouldBe.GetProperty("state").GetString().ShouldBe(DryRuns.State);
        wouldBe.GetProperty("outcome").GetString().ShouldBe("deny");
        wouldBe.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe(code);
    }

    private async Task ShouldStayUnrecordedAsync(string agentId, List<JsonElement> dry, int decisions)
    {
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        (await db.Decisions.CountAsync(d => d.AgentId == agentId, Cancel)).ShouldBe(decisions, "only the real requests are decisions");
        (await db.AuditEvents.CountAsync(e => e.Subject == agentId && e.Kind == DryRuns.AuditKind, Cancel)).ShouldBe(dry.Count + 1);
    }

    private static async Task<JsonElement> AnswerAsync(HttpClient client, object body)
    {
        using var response = await DecideAsync(client, body);
        return (await JsonOf(response)).Clone();
    }

    /// <summary>The rate window is the calendar minute: a race that straddles it would count in two windows.</summary>
    private static async Task AwayFromTheMinuteBoundaryAsync()
    {
        var second = DateTimeOffset.UtcNow.Second;
        if (second >= 45)
            await Task.Delay(TimeSpan.FromSeconds(61 - second), Cancel);
    }

    [Fact]
    public async Task ADryRunThatWouldBeHeld_SaysPending_AndOpensNoApprovalRequest()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        var answer = await JsonOf(await DecideAsync(client, Dry("payments.send", "execute", "payments/out/7", amount: 10m)));

        answer.GetProperty("outcome").GetString().ShouldBe("pending");
        answer.GetProperty("state").GetString().ShouldBe(DryRuns.State);
        answer.GetProperty("approval").ValueKind.ShouldBe(JsonValueKind.Null);
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        (await db.ApprovalRequests.CountAsync(r => r.AgentId == agent.Id, Cancel)).ShouldBe(0);
        (await db.Decisions.CountAsync(d => d.AgentId == agent.Id, Cancel)).ShouldBe(0);
    }

    [Fact]
    public async Task ADryRunForAContainedAgent_SaysDenyContained()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "dry run test"));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());

        var tried = await app.AsUserAsync<DryRunService, Result<DecisionResponse>>(DemoAccounts.Officer,
            s => s.TryAsync(agent.Id, new DryRunDraft("crm.read", "read", "crm/accounts/42")));

        tried.IsSuccess.ShouldBeTrue(tried.Error.ToString());
        tried.Value.Outcome.ShouldBe("deny");
        tried.Value.Reasons[0].Code.ShouldBe(DecisionCodes.Contained);
    }

    [Fact]
    public async Task InTheConsole_AnOwnerTriesTheirOwnAgent_NotAnotherOwners_AndTheAttemptIsAuditedInTheirName()
    {
        var agent = await RegisterAsync(app);

        var own = await app.AsUserAsync<DryRunService, Result<DecisionResponse>>(DemoAccounts.Owner,
            s => s.TryAsync(agent.Id, new DryRunDraft("crm.read", "read", "crm/accounts/42", """{ "q": 1 }""")));
        var other = await app.AsUserAsync<DryRunService, Result<DecisionResponse>>(DemoAccounts.Owner2,
            s => s.TryAsync(agent.Id, new DryRunDraft("crm.read", "read", "crm/accounts/42")));
        var badJson = await app.AsUserAsync<DryRunService, Result<DecisionResponse>>(DemoAccounts.Owner,
            s => s.TryAsync(agent.Id, new DryRunDraft("crm.read", "read", "crm/accounts/42", "{ not json")));
        var outOfScope = await app.AsUserAsync<DryRunService, Result<DecisionResponse>>(DemoAccounts.Officer,
            s => s.TryAsync(agent.Id, new DryRunDraft("crm.read", "read", "hr/salaries/1")));

        own.IsSuccess.ShouldBeTrue(own.Error.ToString());
        own.Value.Outcome.ShouldBe("allow");
        other.IsFailure.ShouldBeTrue();
        other.Error.Code.ShouldBe("agent.not_found");
        badJson.IsFailure.ShouldBeTrue();
        badJson.Error.Message.ShouldStartWith("The parameters are not valid JSON");
        outOfScope.Value.Outcome.ShouldBe("deny");
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == agent.Id && e.Kind == DryRuns.AuditKind).OrderBy(e => e.Sequence).ToListAsync(Cancel);
        events.Count.ShouldBe(2);
        events[0].ActorName.ShouldBe(DemoAccounts.Owner);
        events[1].ActorName.ShouldBe(DemoAccounts.Officer);
        (await db.Decisions.CountAsync(d => d.AgentId == agent.Id, Cancel)).ShouldBe(0);
    }

    private static object RealRead(int records) => new
    {
        tool = "crm.read",
        operation = "read",
        resource = "crm/accounts/42",
        parameters = new { },
        impact = new { records },
    };

    private IDbContextFactory<WardenDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
}
