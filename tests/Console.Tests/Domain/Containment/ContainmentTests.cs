using Warden.Domain.Approvals;
using Warden.Domain.Containment;
using Warden.Domain.People;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Tests.Domain.Containment;

public sealed class ContainmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static Voter Officer(string id, string email) =>
        new(new UserId(id), email, id, new HashSet<string>([Roles.SecurityOfficer]), IsActive: true);

    private static readonly Voter Olivia = Officer("olivia", "olivia@warden.example");
    private static readonly Voter Oscar = Officer("oscar", "oscar@warden.example");
    private static readonly Voter Otto = Officer("otto", "otto@warden.example");

    private static Trip TripBy(Voter? by, ContainmentScope scope = ContainmentScope.Agent, string target = "agt_demo_support") =>
        Trip.Trip("cnt_1", scope, target, "Support copilot", "leaking data", by is null ? TripSource.Breaker : TripSource.Person,
                  by?.Id.Value, by?.Email, by?.Name ?? "breaker:violation-burst", Now).Value;

    [Theory]
    [InlineData(ContainmentScope.Agent)]
    [InlineData(ContainmentScope.Owner)]
    [InlineData(ContainmentScope.Segment)]
    [InlineData(ContainmentScope.Global)]
    public void OfficersTripAnyScope(ContainmentScope scope) =>
        Trip.MayTrip(new HashSet<string>([Roles.SecurityOfficer]), scope, ownsTheAgent: false).IsSuccess.ShouldBeTrue();

    [Fact]
    public void OwnersTripOnlyTheirOwnAgent()
    {
        var owner = new HashSet<string>([Roles.AgentOwner]);

        Trip.MayTrip(owner, ContainmentScope.Agent, ownsTheAgent: true).IsSuccess.ShouldBeTrue();
        Trip.MayTrip(owner, ContainmentScope.Agent, ownsTheAgent: false).Error.ShouldBe(ContainmentErrors.OwnersTripOwnAgentsOnly);
        Trip.MayTrip(owner, ContainmentScope.Owner, ownsTheAgent: true).Error.ShouldBe(ContainmentErrors.OwnersTripOwnAgentsOnly);
        Trip.MayTrip(owner, ContainmentScope.Segment, ownsTheAgent: true).Error.ShouldBe(ContainmentErrors.OwnersTripOwnAgentsOnly);
        Trip.MayTrip(owner, ContainmentScope.Global, ownsTheAgent: true).Error.ShouldBe(ContainmentErrors.OwnersTripOwnAgentsOnly);
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Administrator)]
    public void AuditorsAndAdministratorsTripNothing(string role) =>
        Trip.MayTrip(new HashSet<string>([role]), ContainmentScope.Agent, ownsTheAgent: true).IsFailure.ShouldBeTrue();

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void ATripNeedsAReason(string? reason) =>
        Trip.Trip("cnt_1", ContainmentScope.Agent, "agt_x", "x", reason, TripSource.Person, "o", "o@x", "o", Now).Error.ShouldBe(ContainmentErrors.ReasonRequired);

    [Fact]
    public void AScopedTripNeedsATarget_AGlobalOneCoversEverything()
    {
        Trip.Trip("cnt_1", ContainmentScope.Segment, " ", "x", "why", TripSource.Person, "o", "o@x", "o", Now).Error.ShouldBe(ContainmentErrors.TargetRequired);
        var global = Trip.Trip("cnt_2", ContainmentScope.Global, string.Empty, string.Empty, "why", TripSource.Person, "o", "o@x", "o", Now).Value;

        global.Target.ShouldBe(Trip.GlobalTarget);
        global.Covers("agt_any", "owner-any", "any").ShouldBeTrue();
    }

    [Fact]
    public void Covers_MatchesItsScopeOnly()
    {
        TripBy(Olivia).Covers("agt_demo_support", "owner-1", "support").ShouldBeTrue();
        TripBy(Olivia).Covers("agt_demo_payments", "owner-1", "support").ShouldBeFalse();
        TripBy(Olivia, ContainmentScope.Owner, "owner-1").Covers("agt_other", "owner-1", "finance").ShouldBeTrue();
        TripBy(Olivia, ContainmentScope.Owner, "owner-1").Covers("agt_other", "owner-2", "finance").ShouldBeFalse();
        TripBy(Olivia, ContainmentScope.Segment, "finance").Covers("agt_other", "owner-2", "finance").ShouldBeTrue();
        TripBy(Olivia, ContainmentScope.Segment, "finance").Covers("agt_other", "owner-2", "support").ShouldBeFalse();
    }

    [Fact]
    public void TheOfficerWhoTrippedCannotRelease_AnotherOfficerCan()
    {
        var containment = TripBy(Olivia);

        containment.ApproveRelease(Olivia, "fixed", Now.AddMinutes(5)).Error.ShouldBe(ContainmentErrors.TripperCannotRelease);
        containment.ApproveRelease(Olivia with { Id = new UserId("olivia-2"), Email = "Olivia+alt@warden.example" }, "fixed", Now.AddMinutes(5))
            .Error.ShouldBe(ContainmentErrors.TripperCannotRelease);
        containment.IsActive.ShouldBeTrue();

        containment.ApproveRelease(Oscar, "root cause fixed", Now.AddMinutes(6)).Value.ShouldBeTrue();
        containment.IsActive.ShouldBeFalse();
        containment.ReleaseReason.ShouldBe("root cause fixed");
    }

    [Fact]
    public void AGlobalReleaseNeedsTwoDistinctOfficers()
    {
        var containment = TripBy(Olivia, ContainmentScope.Global, string.Empty);

        containment.ApproveRelease(Oscar, "incident closed", Now.AddMinutes(5)).Value.ShouldBeFalse();
        containment.IsActive.ShouldBeTrue();
        containment.ApproveRelease(Oscar, "again", Now.AddMinutes(6)).Error.ShouldBe(ContainmentErrors.AlreadyApproved);
        containment.ApproveRelease(Otto, "confirmed", Now.AddMinutes(7)).Value.ShouldBeTrue();

        containment.IsActive.ShouldBeFalse();
        containment.ReleaseApprovals.Select(a => a.OfficerName).ShouldBe(["oscar", "otto"]);
    }

    [Fact]
    public void TheTripperMayBeOneOfTheTwoForAGlobalRelease_NeverTheOnlyOne()
    {
        var containment = TripBy(Olivia, ContainmentScope.Global, string.Empty);

        containment.ApproveRelease(Olivia, "incident closed", Now.AddMinutes(5)).Value.ShouldBeFalse();
        containment.ApproveRelease(Olivia with { Id = new UserId("olivia-2") }, "again", Now.AddMinutes(5)).Error.ShouldBe(ContainmentErrors.AlreadyApproved);
        containment.IsActive.ShouldBeTrue();
        containment.ApproveRelease(Oscar, "agreed", Now.AddMinutes(6)).Value.ShouldBeTrue();
        containment.IsActive.ShouldBeFalse();
    }

    [Fact]
    public void ABreakerTripIsReleasedByAnyOfficer()
    {
        var containment = TripBy(null);

        containment.ApproveRelease(Olivia, "false alarm", Now.AddMinutes(1)).Value.ShouldBeTrue();
    }

    [Fact]
    public void OnlyActiveOfficersRelease_WithAReason_AndOnlyOnce()
    {
        var containment = TripBy(Olivia);
        var owner = new Voter(new UserId("owen"), "owen@warden.example", "Owen", new HashSet<string>([Roles.AgentOwner]), IsActive: true);

        containment.ApproveRelease(owner, "mine", Now).Error.ShouldBe(ContainmentErrors.OfficersOnly);
        containment.ApproveRelease(Oscar with { IsActive = false }, "ok", Now).Error.ShouldBe(ContainmentErrors.OfficersOnly);
        containment.ApproveRelease(Oscar, " ", Now).Error.ShouldBe(ContainmentErrors.ReasonRequired);
        containment.ApproveRelease(Oscar, "ok", Now).Value.ShouldBeTrue();
        containment.ApproveRelease(Otto, "ok", Now).Error.ShouldBe(ContainmentErrors.AlreadyReleased);
    }

    [Fact]
    public void TimeToContain_IsMeasuredFromTheCommit()
    {
        var containment = TripBy(Olivia);
        containment.Committed(Now.AddMilliseconds(3), 1);
        containment.CredentialsRevoked(Now.AddMilliseconds(3.2));
        containment.Refused(Now.AddMilliseconds(9));
        containment.Refused(Now.AddMilliseconds(5));
        containment.Refused(Now.AddMilliseconds(12));

        containment.TimeToRevocation!.Value.TotalMilliseconds.ShouldBe(0.2, 0.0001);
        containment.TimeToFirstRefusal!.Value.TotalMilliseconds.ShouldBe(2, 0.0001);
    }
}

public sealed class ContainmentSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static ActiveContainment Active(string id, ContainmentScope scope, string target, int minute = 0) =>
        new(id, scope, target, target, "why", Now.AddMinutes(minute));

    [Fact]
    public void AnAgentIsContainedWhileAnyCoveringContainmentIsActive()
    {
        var set = ContainmentSet.Of([
            Active("a", ContainmentScope.Agent, "agt_1"),
            Active("s", ContainmentScope.Segment, "finance", 1),
            Active("o", ContainmentScope.Owner, "owner-9", 2),
        ]);

        set.Covering("agt_1", "owner-1", "support")!.Id.ShouldBe("a");
        set.Covering("agt_2", "owner-1", "finance")!.Id.ShouldBe("s");
        set.Covering("agt_3", "owner-9", "support")!.Id.ShouldBe("o");
        set.Covering("agt_4", "owner-1", "support").ShouldBeNull();

        var withoutSegment = set.Without("s");
        withoutSegment.Covering("agt_2", "owner-1", "finance").ShouldBeNull();
        withoutSegment.Covering("agt_1", "owner-1", "finance")!.Id.ShouldBe("a");
    }

    [Fact]
    public void OverlappingTrips_ReleasingOneLeavesTheOtherInForce()
    {
        var set = ContainmentSet.Of([Active("agent", ContainmentScope.Agent, "agt_1"), Active("segment", ContainmentScope.Segment, "finance")]);

        set.Without("segment").Covering("agt_1", "o", "finance")!.Id.ShouldBe("agent");
        set.Without("agent").Covering("agt_1", "o", "finance")!.Id.ShouldBe("segment");
        set.Without("agent").Without("segment").Covering("agt_1", "o", "finance").ShouldBeNull();
    }

    [Fact]
    public void GlobalCoversEveryone_AndSegmentsIgnoreCase()
    {
        var set = ContainmentSet.Empty.With(Active("g", ContainmentScope.Global, "*"));

        set.Covering("agt_x", "anyone", "anything")!.Id.ShouldBe("g");
        set.Global!.Id.ShouldBe("g");
        ContainmentSet.Of([Active("s", ContainmentScope.Segment, "finance")]).Covering("agt_x", "o", "Finance").ShouldNotBeNull();
        ContainmentSet.Empty.Global.ShouldBeNull();
    }
}
