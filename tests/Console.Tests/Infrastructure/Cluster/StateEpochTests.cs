using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Features.Decisions.Stages;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Cluster;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Infrastructure.Cluster;

/// <summary>
/// The state epoch on one instance: every committed change to what decisions depend on adds the next
/// state change with its audit events, decisions add none, and a decision made under an older epoch
/// than the one in force at its commit is not recorded but decided again.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StateEpochTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATrip_AdvancesTheEpochWithItsAuditEvent_WhileDecisionsDoNot()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var pipeline = app.Services.GetRequiredService<DecisionPipeline>();
        var epoch = app.Services.GetRequiredService<StateEpoch>();
        var before = await NewestChangeAsync();
        epoch.View.ShouldBe(before?.Epoch ?? 0);

        for (var i = 0; i < 3; i++)
            (await pipeline.DecideAsync(agent.Id, Read(), null, Cancel)).Value.Outcome.ShouldBe("allow");
        ((await NewestChangeAsync())?.Epoch).ShouldBe(before?.Epoch);

        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer, s => s.TripAsync(ContainmentScope.Agent, agent.Id, "epoch test"));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());

        var after = await NewestChangeAsync();
        after.ShouldNotBeNull();
        after.Epoch.ShouldBe((before?.Epoch ?? 0) + 1);
        after.Changed.ShouldContain(nameof(Warden.Domain.Containment.Containment));
        epoch.View.ShouldBe(after.Epoch);
    }

    [Fact]
    public async Task AnAllowDecidedBeforeTheAgentWasSuspended_IsNotRecorded_AndIsDecidedAgainAsRefused()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var attempt = new DecisionAttempt(agent.Id, Read(), null);
        foreach (var stage in Stages(typeof(RequestShapeStage), typeof(AgentStage), typeof(ParameterSchemaStage), typeof(ScreeningStage), typeof(EngineStage)))
            (await stage.RunAsync(attempt, Cancel)).ShouldBeNull();
        attempt.Decision.Outcome.ShouldBe(DecisionOutcome.Allow);

        // The agent is suspended after the decision was made, before it is recorded (as another
        // instance would: through the audit writer, with nothing told to this instance's caches).
        var suspendedAt = await SuspendBehindTheCachesAsync(agent.Id);

        (await Stage<RecordStage>().RunAsync(attempt, Cancel)).ShouldBeNull();
        attempt.DecideAgain.ShouldBeTrue();
        attempt.DecideAgainUnder.ShouldBe(suspendedAt);
        (await DecisionsOfAsync(agent.Id)).ShouldBeEmpty();

        var again = await app.Services.GetRequiredService<DecisionPipeline>().DecideAsync(agent.Id, Read(), null, Cancel);
        again.IsFailure.ShouldBeFalse(again.IsFailure ? again.Error.ToString() : null);
        again.Value.Outcome.ShouldBe("deny");
        (await DecisionsOfAsync(agent.Id)).ShouldAllBe(d => d.Outcome == DecisionOutcome.Deny);
    }

    [Fact]
    public async Task ADecisionDecidedAgain_CountsOnce_AndItsUnrecordedAllowSpendsNothing()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var usage = app.Services.GetRequiredService<UsageMeter>();
        var body = Read() with { Impact = new DecisionImpactBody(7, 12.5m, "EUR") };
        var attempt = new DecisionAttempt(agent.Id, body, null);
        foreach (var stage in Stages(typeof(RequestShapeStage), typeof(AgentStage), typeof(ParameterSchemaStage), typeof(ScreeningStage), typeof(EngineStage)))
            (await stage.RunAsync(attempt, Cancel)).ShouldBeNull();
        attempt.Decision.Outcome.ShouldBe(DecisionOutcome.Allow);
        (await usage.CurrentAsync(agent.Id, attempt.Now, Cancel)).ShouldBe(new Warden.Domain.Decisions.UsageView(1, 7, 12.5m));

        await SuspendBehindTheCachesAsync(agent.Id);
        (await Stage<RecordStage>().RunAsync(attempt, Cancel)).ShouldBeNull();
        attempt.DecideAgain.ShouldBeTrue();

        (await usage.CurrentAsync(agent.Id, attempt.Now, Cancel)).ShouldBe(new Warden.Domain.Decisions.UsageView(0, 0, 0m));
        var again = await app.Services.GetRequiredService<DecisionPipeline>().DecideAsync(agent.Id, body, null, Cancel);
        again.Value.Outcome.ShouldBe("deny");
        var after = await usage.CurrentAsync(agent.Id, DateTimeOffset.UtcNow, Cancel);
        (after.RecordsToday, after.AmountToday).ShouldBe((0L, 0m));
        after.RequestsThisMinute.ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task AGroupCommitUnderAnOlderEpoch_IsRefused_AndWritesNothing_WhileOneUnderTheCurrentEpochCommits()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var current = await SuspendBehindTheCachesAsync(agent.Id);
        var writer = app.Services.GetRequiredService<AuditWriter>();

        var stale = writer.CommitAsync(new AuditBatchItem(AuditEntry.Of(AuditActor.System, "test.stale", agent.Id, new { }), null, current - 1));
        var fresh = writer.CommitAsync(new AuditBatchItem(AuditEntry.Of(AuditActor.System, "test.fresh", agent.Id, new { }), null, current));
        var refused = await Should.ThrowAsync<StaleStateException>(() => stale);
        var sequence = await fresh;

        refused.Epoch.ShouldBe(current);
        sequence.ShouldBeGreaterThan(0);
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        (await db.AuditEvents.CountAsync(e => e.Subject == agent.Id && e.Kind == "test.stale", Cancel)).ShouldBe(0);
        (await db.AuditEvents.CountAsync(e => e.Subject == agent.Id && e.Kind == "test.fresh", Cancel)).ShouldBe(1);
    }

    [Fact]
    public async Task TheTokenGate_ReloadedAsAnotherInstancesChangeArrives_RefusesWhatTheDatabaseRestricts_AndLetsALiftedAgentThroughAgain()
    {
        var suspended = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var revoked = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var untouched = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var gate = app.Services.GetRequiredService<AgentTokenGate>();
        var loader = app.Services.GetRequiredService<AgentTokenGateLoader>();
        var issuedAt = DateTimeOffset.UtcNow.AddMinutes(-1);

        await SuspendBehindTheCachesAsync(suspended.Id);
        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
        {
            var credential = await db.Set<AgentCredential>().SingleOrDefaultAsync(c => c.AgentId == revoked.Id, Cancel);
            if (credential is null)
                db.Set<AgentCredential>().Add(credential = new AgentCredential { AgentId = revoked.Id });
            credential.TokensValidAfter = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(Cancel);
        }
        gate.Check(suspended.Id, issuedAt).IsAllowed.ShouldBeTrue("the gate has not been told yet");
        await loader.ReloadAsync(Cancel);

        gate.Check(suspended.Id, issuedAt).Refusal.ShouldBe(AgentTokenRefusal.AgentNotActive);
        gate.Check(revoked.Id, issuedAt).Refusal.ShouldBe(AgentTokenRefusal.TokenInvalidated);
        gate.Check(revoked.Id, DateTimeOffset.UtcNow.AddMinutes(1)).IsAllowed.ShouldBeTrue();
        gate.Check(untouched.Id, issuedAt).IsAllowed.ShouldBeTrue();

        // Resumed by another instance: the next reload lifts the refusal.
        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
        {
            var row = await db.Agents.SingleAsync(a => a.Id == Warden.Domain.Agents.AgentId.Parse(suspended.Id), Cancel);
            row.Resume("resumed elsewhere", DateTimeOffset.UtcNow).IsSuccess.ShouldBeTrue();
            await app.Services.GetRequiredService<AuditWriter>().AppendAsync(db, [AuditEntry.Of(AuditActor.System, "agent.resumed", suspended.Id, new { })], Cancel);
        }
        gate.Check(suspended.Id, DateTimeOffset.UtcNow.AddMinutes(1)).IsAllowed.ShouldBeFalse("the gate has not been told yet");
        await loader.ReloadAsync(Cancel);
        gate.Check(suspended.Id, DateTimeOffset.UtcNow.AddMinutes(1)).IsAllowed.ShouldBeTrue();
        gate.Check(revoked.Id, issuedAt).Refusal.ShouldBe(AgentTokenRefusal.TokenInvalidated);
    }

    [Fact]
    public async Task TheTokenGate_ToldWhichAgentsChanged_ReadsThoseAgentsOnly_AndEverythingWhenNotTold()
    {
        var named = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var unnamed = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var gate = app.Services.GetRequiredService<AgentTokenGate>();
        var loader = app.Services.GetRequiredService<AgentTokenGateLoader>();
        var issuedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await SuspendBehindTheCachesAsync(named.Id);
        await SuspendBehindTheCachesAsync(unnamed.Id);

        var changes = new StateChanges();
        changes.Add(typeof(Warden.Domain.Agents.Agent), named.Id);
        await loader.ReloadAsync(changes, Cancel);
        gate.Check(named.Id, issuedAt).Refusal.ShouldBe(AgentTokenRefusal.AgentNotActive);
        gate.Check(unnamed.Id, issuedAt).IsAllowed.ShouldBeTrue("only the agent named was read again");

        var unknown = new StateChanges();
        unknown.Add(typeof(Warden.Domain.Agents.Agent), null);
        await loader.ReloadAsync(unknown, Cancel);
        gate.Check(unnamed.Id, issuedAt).Refusal.ShouldBe(AgentTokenRefusal.AgentNotActive);

        // A credential named by its agent: the watermark is read for that agent.
        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
        {
            var row = await db.Agents.SingleAsync(a => a.Id == Warden.Domain.Agents.AgentId.Parse(named.Id), Cancel);
            row.Resume("resumed elsewhere", DateTimeOffset.UtcNow).IsSuccess.ShouldBeTrue();
            var credential = await db.Set<AgentCredential>().SingleOrDefaultAsync(c => c.AgentId == named.Id, Cancel);
            if (credential is null)
                db.Set<AgentCredential>().Add(credential = new AgentCredential { AgentId = named.Id });
            credential.TokensValidAfter = DateTimeOffset.UtcNow;
            await app.Services.GetRequiredService<AuditWriter>().AppendAsync(db, [AuditEntry.Of(AuditActor.System, "agent.resumed", named.Id, new { })], Cancel);
        }
        var revoked = new StateChanges();
        revoked.Add(typeof(AgentCredential), named.Id);
        await loader.ReloadAsync(revoked, Cancel);
        gate.Check(named.Id, issuedAt).Refusal.ShouldBe(AgentTokenRefusal.TokenInvalidated);
        gate.Check(named.Id, DateTimeOffset.UtcNow.AddMinutes(1)).IsAllowed.ShouldBeTrue("active again, with tokens minted after the watermark");
    }

    [Fact]
    public async Task TheContainmentRegistry_ToldOfATripAndItsRelease_CoversTheAgentThenNoLonger_WithoutReadingOthers()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
        var registry = app.Services.GetRequiredService<ContainmentRegistry>();
        var containmentId = "cnt_test_" + Guid.NewGuid().ToString("N")[..12];
        string ownerId, segment;
        // Tripped by another instance: in the database, not in this instance's registry.
        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
        {
            var row = await db.Agents.SingleAsync(a => a.Id == Warden.Domain.Agents.AgentId.Parse(agent.Id), Cancel);
            (ownerId, segment) = (row.OwnerId.Value, row.Segment);
            var trip = Warden.Domain.Containment.Containment.Trip(containmentId, ContainmentScope.Agent, agent.Id, agent.Id, "tripped elsewhere",
                TripSource.Person, null, null, "Elsewhere", DateTimeOffset.UtcNow).Value;
            db.Containments.Add(trip);
            row.Contain("tripped elsewhere", DateTimeOffset.UtcNow).IsSuccess.ShouldBeTrue();
            await app.Services.GetRequiredService<AuditWriter>().AppendAsync(db, [AuditEntry.Of(AuditActor.System, "containment.tripped", agent.Id, new { })], Cancel);
        }
        registry.Current.Covering(agent.Id, ownerId, segment).ShouldBeNull("the registry has not been told yet");

        var other = new StateChanges();
        other.Add(typeof(Warden.Domain.Containment.Containment), "cnt_someone_else");
        var before = registry.Current;
        await registry.ReloadAsync(other, Cancel);
        registry.Current.ShouldBeSameAs(before, "a containment that is not there changes nothing");

        var tripped = new StateChanges();
        tripped.Add(typeof(Warden.Domain.Containment.Containment), containmentId);
        tripped.Add(typeof(Warden.Domain.Agents.Agent), agent.Id);
        await registry.ReloadAsync(tripped, Cancel);
        registry.Current.Covering(agent.Id, ownerId, segment)?.Id.ShouldBe(containmentId);
        registry.ReasonFor(agent.Id).ShouldNotBeNull();

        await using (var db = await Contexts.CreateDbContextAsync(Cancel))
            await db.Containments.Where(c => c.Id == containmentId).ExecuteUpdateAsync(u => u.SetProperty(c => c.ReleasedAt, DateTimeOffset.UtcNow), Cancel);
        await registry.ReloadAsync(tripped, Cancel);
        registry.Current.Covering(agent.Id, ownerId, segment).ShouldBeNull();
        registry.ReasonFor(agent.Id).ShouldBeNull();
    }

    /// <summary>Suspends the agent through the audit writer only; returns the epoch that change committed at.</summary>
    private async Task<long> SuspendBehindTheCachesAsync(string agentId)
    {
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        var row = await db.Agents.SingleAsync(a => a.Id == Warden.Domain.Agents.AgentId.Parse(agentId), Cancel);
        row.Suspend("suspended elsewhere", DateTimeOffset.UtcNow).IsSuccess.ShouldBeTrue();
        await app.Services.GetRequiredService<AuditWriter>().AppendAsync(db, [AuditEntry.Of(AuditActor.System, "agent.suspended", agentId, new { })], Cancel);
        var newest = await NewestChangeAsync();
        newest.ShouldNotBeNull();
        newest.Changed.ShouldContain(nameof(Warden.Domain.Agents.Agent));
        return newest.Epoch;
    }

    private static DecisionRequestBody Read() => new("crm.read", "read", "crm/accounts/42", null, null, null);

    private IDbContextFactory<WardenDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();

    private async Task<StateChange?> NewestChangeAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        return await db.StateChanges.AsNoTracking().OrderByDescending(c => c.Epoch).FirstOrDefaultAsync(Cancel);
    }

    private async Task<List<DecisionRecord>> DecisionsOfAsync(string agentId)
    {
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        return await db.Decisions.AsNoTracking().Where(d => d.AgentId == agentId).ToListAsync(Cancel);
    }

    private T Stage<T>() where T : IDecisionStage => app.Services.GetRequiredService<T>();

    private IEnumerable<IDecisionStage> Stages(params Type[] types) => types.Select(t => (IDecisionStage)app.Services.GetRequiredService(t));
}
