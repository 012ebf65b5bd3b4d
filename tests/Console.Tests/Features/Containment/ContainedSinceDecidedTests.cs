using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Stages;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Containment;

/// <summary>
/// A decision made just before a trip is never recorded as an allow after it: the record stage checks,
/// in the audit writer's turn, that no containment it did not see covers the agent, and otherwise the
/// request is decided again against the containment in force.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ContainedSinceDecidedTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task AnAllowDecidedBeforeATrip_IsNotRecorded_AndDecidedAgainIsRefusedAsTheGateRefuses()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var attempt = new DecisionAttempt(agent.Id, new DecisionRequestBody("crm.read", "read", "crm/accounts/42", null, null, null), null);
        foreach (var stage in Stages(typeof(RequestShapeStage), typeof(AgentStage), typeof(ParameterSchemaStage), typeof(ScreeningStage), typeof(EngineStage)))
            (await stage.RunAsync(attempt, TestContext.Current.CancellationToken)).ShouldBeNull();
        attempt.Decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        await TripAsync(agent.Id, "overtakes the decision");

        var overtaken = await Stage<RecordStage>().RunAsync(attempt, TestContext.Current.CancellationToken);

        overtaken.ShouldBeNull();
        attempt.DecideAgain.ShouldBeTrue();
        (await DecisionsOfAsync(agent.Id)).ShouldBeEmpty();

        // Decided again, the request meets the agent's own containment, which the token gate enforces
        // now: it is refused as a request arriving after the trip is, and not recorded as a decision.
        attempt.DecideAgain = false;
        var again = await Stage<EngineStage>().RunAsync(attempt, TestContext.Current.CancellationToken);
        again.ShouldNotBeNull();
        again.IsFailure.ShouldBeTrue();
        again.Error.Code.ShouldBe(DecisionErrors.ContainedCode);
        again.Error.Message.ShouldContain("overtakes the decision");
        (await DecisionsOfAsync(agent.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnAgentCoveredByASegmentTrippedBeforeItWasRegistered_GetsARecordedDeny_WithoutTakingItsUsage()
    {
        // Registered after its segment's trip, the agent is not among the agents the trip contained, so
        // the token gate lets its tokens through: the engine refuses it, and that deny is recorded.
        var segment = "seg-" + Guid.NewGuid().ToString("N")[..8];
        await RegisterAsync(app, Draft(rateLimit: 100_000) with { Segment = segment });
        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer,
            s => s.TripAsync(ContainmentScope.Segment, segment, "segment contained"));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000) with { Segment = segment });
        var pipeline = app.Services.GetRequiredService<DecisionPipeline>();

        var answer = await pipeline.DecideAsync(agent.Id, new DecisionRequestBody("crm.read", "read", "crm/accounts/42", null, null, null), null, TestContext.Current.CancellationToken);

        answer.IsSuccess.ShouldBeTrue(answer.Error.ToString());
        answer.Value.Outcome.ShouldBe("deny");
        answer.Value.Reasons[0].Code.ShouldBe(DecisionCodes.Contained);
        (await DecisionsOfAsync(agent.Id)).ShouldHaveSingleItem().State.ShouldBe(DecisionState.Denied);
        var usage = await app.Services.GetRequiredService<UsageMeter>().CurrentAsync(agent.Id, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        usage.RequestsThisMinute.ShouldBe(0, "a contained agent's refusal takes none of its rate");
    }

    [Fact]
    public async Task UnderConcurrentRequests_NoAllowIsRecordedAfterATripThatCoversItsAgent()
    {
        var pipeline = app.Services.GetRequiredService<DecisionPipeline>();
        var random = new Random(20261206);
        var allowedBefore = 0;
        for (var trial = 0; trial < 12; trial++)
        {
            var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
            using var stop = new CancellationTokenSource();
            var tripReturned = false;
            var refusedAfter = 0;
            var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var answer = await pipeline.DecideAsync(agent.Id, new DecisionRequestBody("crm.read", "read", "crm/accounts/42", null, null, null), null, CancellationToken.None);
                    if (Volatile.Read(ref tripReturned) && (answer.IsFailure ? answer.Error.Code == DecisionErrors.ContainedCode : answer.Value.Outcome == "deny"))
                        Interlocked.Increment(ref refusedAfter);
                }
            })).ToList();
            await Task.Delay(random.Next(20, 60), TestContext.Current.CancellationToken);

            var containmentId = await TripAsync(agent.Id, $"race trial {trial}");
            Volatile.Write(ref tripReturned, true);
            await Task.Delay(random.Next(10, 40), TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(senders);

            await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
            var tripped = await db.AuditEvents.Where(e => e.Kind == "containment.tripped" && e.Subject == containmentId).Select(e => e.Sequence).SingleAsync(TestContext.Current.CancellationToken);
            var kinds = await db.AuditEvents.Where(e => e.Subject == agent.Id && e.Kind.StartsWith("decision."))
                .Select(e => new { e.Sequence, e.Kind }).ToListAsync(TestContext.Current.CancellationToken);
            kinds.Where(e => e.Sequence > tripped && e.Kind != "decision.denied").ShouldBeEmpty($"trial {trial}: an allow or hold recorded after the trip");
            allowedBefore += kinds.Count(e => e.Sequence < tripped && e.Kind == "decision.allowed");
            refusedAfter.ShouldBeGreaterThan(0, $"trial {trial}: the requests kept coming after the trip, or the check proves nothing");
        }
        allowedBefore.ShouldBeGreaterThan(12);
    }

    private async Task<string> TripAsync(string agentId, string reason)
    {
        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agentId, reason));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        return trip.Value.ContainmentId;
    }

    private async Task<List<DecisionRecord>> DecisionsOfAsync(string agentId)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        return await db.Decisions.AsNoTracking().Where(d => d.AgentId == agentId).ToListAsync(TestContext.Current.CancellationToken);
    }

    private T Stage<T>() where T : IDecisionStage => app.Services.GetRequiredService<T>();

    private IEnumerable<IDecisionStage> Stages(params Type[] types) => types.Select(t => (IDecisionStage)app.Services.GetRequiredService(t));
}
