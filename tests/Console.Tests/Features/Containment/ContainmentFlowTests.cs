using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Domain.Containment;
using Warden.Domain.People;
using Warden.Features.Approvals;
using Warden.Features.Containment;
using Warden.Persistence;
using Warden.Tests.Features.Approvals;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Tests.Features.Containment;

/// <summary>What a trip does to a live agent, through the real API and token endpoint.</summary>
[Collection(AppCollection.Name)]
public sealed class ContainmentFlowTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private Task<Result<TripResult>> TripAsync(string email, ContainmentScope scope, string? target, string reason = "suspicious traffic", string? phrase = null) =>
        app.AsUserAsync<ContainmentService, Result<TripResult>>(email, s => s.TripAsync(scope, target, reason, phrase));

    private Task<Result<bool>> ReleaseAsync(string email, string id, string reason = "investigated, clean") =>
        app.AsUserAsync<ContainmentService, Result<bool>>(email, s => s.ReleaseAsync(id, reason));

    [Fact]
    public async Task ATrip_RefusesTheAgentsTokenAtOnce_IssuesNoNewToken_CancelsItsApprovals_AndVoidsItsGrants()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        using var client = Client(app, held.Agent.Token);
        var allowed = await JsonOf(await DecideAsync(client, Body()));
        allowed.GetProperty("outcome").GetString().ShouldBe("allow");

        var trip = await TripAsync(DemoAccounts.Officer, ContainmentScope.Agent, held.Agent.Id);
        using var refused = await DecideAsync(client, Body());
        var problem = await JsonOf(refused);

        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        trip.Value.AgentsContained.ShouldBe(1);
        trip.Value.ApprovalsCancelled.ShouldBe(1);
        trip.Value.GrantsInvalidated.ShouldBe(1);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        problem.GetProperty("type").GetString().ShouldBe("urn:warden:problem:contained");
        problem.GetProperty("detail").GetString()!.ShouldContain("suspicious traffic");
        (await TokenRefusedAsync(held.Agent)).ShouldBeTrue();
        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Auditor, s => s.GetAsync(held.RequestId));
        card.Value.State.ShouldBe(ApprovalState.Cancelled);

        // Released by another officer: the agent is active again, but only with a new token, and the old grant stays void.
        (await ReleaseAsync(DemoAccounts.Officer, trip.Value.ContainmentId)).Error.ShouldBe(ContainmentErrors.TripperCannotRelease);
        (await ReleaseAsync(DemoAccounts.Officer2, trip.Value.ContainmentId)).Value.ShouldBeTrue();
        using var stale = await DecideAsync(client, Body());
        stale.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // Token times have whole seconds; a token from the second of the trip is refused like the older ones.
        await Task.Delay(1100, TestContext.Current.CancellationToken);
        using var fresh = Client(app, await TokenAsync(app, held.Agent.Id, held.Agent.Secret));
        var toldCancelled = await JsonOf(await fresh.GetAsync(new Uri($"/api/v1/decisions/{held.DecisionId}", UriKind.Relative), TestContext.Current.CancellationToken));
        using var voidGrant = await ReportAsync(fresh, allowed.GetProperty("id").GetString()!, allowed.GetProperty("grant").GetProperty("token").GetString());
        var again = await JsonOf(await DecideAsync(fresh, Body()));

        toldCancelled.GetProperty("state").GetString().ShouldBe("cancelled");
        toldCancelled.GetProperty("outcome").GetString().ShouldBe("deny");
        toldCancelled.GetProperty("reasons").EnumerateArray().Last().GetProperty("code").GetString().ShouldBe("approval_cancelled");
        voidGrant.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        again.GetProperty("outcome").GetString().ShouldBe("allow");
    }

    [Fact]
    public async Task TimeToContain_IsRecordedForRevocationAndTheFirstRefusedRequest()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        var trip = await TripAsync(DemoAccounts.Officer, ContainmentScope.Agent, agent.Id);
        using var refused = await DecideAsync(client, Body());
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        ContainmentRow? row = null;
        for (var i = 0; i < 40 && row?.TimeToFirstRefusal is null; i++)
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
            row = (await app.AsUserAsync<ContainmentService, Result<ContainmentOverview>>(DemoAccounts.Auditor, s => s.GetOverviewAsync()))
                .Value.Active.Single(r => r.Id == trip.Value.ContainmentId);
        }
        row!.TimeToRevocation.ShouldNotBeNull();
        row.TimeToRevocation!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
        row.TimeToFirstRefusal.ShouldNotBeNull();
        row.TimeToFirstRefusal!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task AnOwnerStopsTheirOwnAgent_ButNotAnotherOwnersAndNeverReleases()
    {
        var mine = await RegisterAsync(app);
        var theirs = await ApprovalScenario.RegisterAsAsync(app, DemoAccounts.Owner2, Draft());

        var own = await TripAsync(DemoAccounts.Owner, ContainmentScope.Agent, mine.Id, "it is looping");
        var other = await TripAsync(DemoAccounts.Owner, ContainmentScope.Agent, theirs.Id);
        var segment = await TripAsync(DemoAccounts.Owner, ContainmentScope.Segment, "sales");
        var release = await ReleaseAsync(DemoAccounts.Owner, own.Value.ContainmentId);
        var auditor = await TripAsync(DemoAccounts.Auditor, ContainmentScope.Agent, mine.Id);

        own.IsSuccess.ShouldBeTrue(own.Error.ToString());
        other.Error.ShouldBe(ContainmentErrors.OwnersTripOwnAgentsOnly);
        segment.Error.ShouldBe(ContainmentErrors.OwnersTripOwnAgentsOnly);
        release.Error.Code.ShouldBe(PersonErrors.Forbidden([]).Code);
        auditor.Error.Code.ShouldBe(PersonErrors.Forbidden([]).Code);
        (await ReleaseAsync(DemoAccounts.Officer, own.Value.ContainmentId)).Value.ShouldBeTrue();
    }

    [Fact]
    public async Task OverlappingContainments_AnAgentStaysContainedUntilTheLastCoveringOneIsReleased()
    {
        var draft = Draft() with { Segment = "overlap" + Guid.NewGuid().ToString("N")[..6] };
        var agent = await ApprovalScenario.RegisterAsAsync(app, DemoAccounts.Owner, draft);
        var bystander = await RegisterAsync(app);

        var byAgent = await TripAsync(DemoAccounts.Officer, ContainmentScope.Agent, agent.Id);
        var bySegment = await TripAsync(DemoAccounts.Officer, ContainmentScope.Segment, draft.Segment);
        (await ReleaseAsync(DemoAccounts.Officer2, byAgent.Value.ContainmentId)).Value.ShouldBeTrue();
        var stillContained = await TokenRefusedAsync(agent);
        (await ReleaseAsync(DemoAccounts.Officer2, bySegment.Value.ContainmentId)).Value.ShouldBeTrue();

        stillContained.ShouldBeTrue();
        (await TokenRefusedAsync(agent)).ShouldBeFalse();
        (await JsonOf(await DecideAsync(Client(app, bystander.Token), Body()))).GetProperty("outcome").GetString().ShouldBe("allow");
    }

    [Fact]
    public async Task TheGlobalKillSwitch_NeedsThePhrase_StopsEveryAgent_AndTwoOfficersToRelease()
    {
        var agent = await RegisterAsync(app);
        var third = await ApprovalScenario.NewOfficerAsync(app, "third");

        (await TripAsync(DemoAccounts.Officer, ContainmentScope.Global, null, "incident 42", "contain all")).Error.Code.ShouldBe("containment.confirmation");
        var trip = await TripAsync(DemoAccounts.Officer, ContainmentScope.Global, null, "incident 42", Trip.GlobalPhrase);
        try
        {
            trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
            using var refused = await DecideAsync(Client(app, agent.Token), Body());
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            var banner = await app.AsUserAsync<ContainmentService, Result<ActiveContainment?>>(DemoAccounts.Owner, s => s.GetGlobalAsync());
            banner.Value!.Reason.ShouldBe("incident 42");

            (await ReleaseAsync(DemoAccounts.Officer2, trip.Value.ContainmentId)).Value.ShouldBeFalse();
            (await TokenRefusedAsync(agent)).ShouldBeTrue();
            (await ReleaseAsync(DemoAccounts.Officer2, trip.Value.ContainmentId)).Error.ShouldBe(ContainmentErrors.AlreadyApproved);
        }
        finally
        {
            (await ReleaseAsync(third, trip.Value.ContainmentId)).Value.ShouldBeTrue();
        }
        (await TokenRefusedAsync(agent)).ShouldBeFalse();
        (await app.AsUserAsync<ContainmentService, Result<ActiveContainment?>>(DemoAccounts.Owner, s => s.GetGlobalAsync())).Value.ShouldBeNull();
    }

    [Fact]
    public async Task AnOfficerWhoOwnsACoveredAgent_CannotReleaseTheContainment()
    {
        var ownerOfficer = await ApprovalScenario.NewPersonAsync(app, "owning-officer", Roles.SecurityOfficer, Roles.AgentOwner);
        var agent = await ApprovalScenario.RegisterAsAsync(app, ownerOfficer, Draft());
        var byBreaker = await app.InScopeAsync(sp => sp.GetRequiredService<ContainmentEngine>().TripAsync(ContainmentScope.Agent, agent.Id, "breaker:test",
            new ContainmentActor(TripSource.Breaker, null, null, "breaker:test"), CancellationToken.None));
        var ownerId = await ApprovalScenario.UserIdAsync(app, ownerOfficer);
        var byOwner = await TripAsync(DemoAccounts.Officer, ContainmentScope.Owner, ownerId, "all of theirs");

        (await ReleaseAsync(ownerOfficer, byBreaker.Value.ContainmentId)).Error.ShouldBe(ContainmentErrors.OwnerCannotRelease);
        (await ReleaseAsync(ownerOfficer, byOwner.Value.ContainmentId)).Error.ShouldBe(ContainmentErrors.OwnerCannotRelease);
        (await ReleaseAsync(DemoAccounts.Officer2, byOwner.Value.ContainmentId)).Value.ShouldBeTrue();
        (await ReleaseAsync(DemoAccounts.Officer2, byBreaker.Value.ContainmentId)).Value.ShouldBeTrue();
    }

    [Fact]
    public async Task EveryTripAndReleaseIsInTheAuditLog()
    {
        var agent = await RegisterAsync(app);
        var trip = await TripAsync(DemoAccounts.Officer, ContainmentScope.Agent, agent.Id, "audit me");
        (await ReleaseAsync(DemoAccounts.Officer2, trip.Value.ContainmentId)).Value.ShouldBeTrue();

        var kinds = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await db.AuditEvents.Where(e => e.Subject == trip.Value.ContainmentId).Select(e => e.Kind).ToListAsync();
        });

        kinds.ShouldBe(["containment.tripped", "containment.released"]);
    }

    [Fact]
    public async Task ADrill_TripsTheAgent_MeasuresItsNextRefusal_EndsItself_AndIsRecorded()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var _ = await DecideAsync(client, Body());
                await Task.Delay(20, CancellationToken.None);
            }
        }, TestContext.Current.CancellationToken);

        var drill = await app.AsUserAsync<ContainmentService, Result<DrillResult>>(DemoAccounts.Officer, s => s.RunDrillAsync(agent.Id, 10));
        await stop.CancelAsync();
        await traffic;
        var owner = await app.AsUserAsync<ContainmentService, Result<DrillResult>>(DemoAccounts.Owner, s => s.RunDrillAsync(agent.Id, 1));
        var history = (await app.AsUserAsync<ContainmentService, Result<ContainmentOverview>>(DemoAccounts.Auditor, s => s.GetOverviewAsync())).Value.History;

        drill.IsSuccess.ShouldBeTrue(drill.Error.ToString());
        drill.Value.TimeToRevocation.ShouldNotBeNull();
        drill.Value.TimeToFirstRefusal.ShouldNotBeNull();
        owner.Error.Code.ShouldBe(PersonErrors.Forbidden([]).Code);
        var row = history.Single(r => r.Id == drill.Value.ContainmentId);
        row.Source.ShouldBe(TripSource.Drill);
        row.ReleaseReason.ShouldBe("drill finished");
        (await TokenRefusedAsync(agent)).ShouldBeFalse();
        (await ApprovalScenario.EventsAsync(app, "containment.drill_finished", drill.Value.ContainmentId)).ShouldBe(1);
    }

    /// <summary>Whether the agent can get no token at all (its client is disabled while contained).</summary>
    private async Task<bool> TokenRefusedAsync(Decisions.TestAgent agent)
    {
        try
        {
            await TokenAsync(app, agent.Id, agent.Secret);
            return false;
        }
        catch (ShouldAssertException)
        {
            return true;
        }
    }
}
