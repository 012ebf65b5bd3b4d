using Warden.Domain.Containment;
using Warden.Domain.Incidents;

namespace Warden.Tests.Domain.Incidents;

public sealed class IncidentTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly Person Olivia = new("olivia", "Olivia Officer");
    private static readonly Person Owen = new("owen", "Owen Owner");
    private static readonly Person Oscar = new("oscar", "Oscar Officer");
    private static readonly IncidentReview FullReview = new("The agent read salaries", "An over-broad scope", "Scope narrowed; breaker lowered");

    private static Incident Opened(TripFacts? trip = null, Detection? detection = null, AgentOfIncident? agent = null, Person? tripper = null) =>
        Incident.Open("inc_1", "cnt_1", trip ?? new TripFacts(ContainmentScope.Agent, TripSource.Breaker, "breaker:scope-probe", "breaker:scope-probe (3 violations)"),
            "agt_1", "Support copilot", Now, agent ?? new AgentOfIncident("agt_1", Owen), tripper, detection, Now.AddSeconds(2));

    [Theory]
    [InlineData(ContainmentScope.Global, TripSource.Person, "stop everything", IncidentType.GlobalKill)]
    [InlineData(ContainmentScope.Agent, TripSource.Breaker, "breaker:anomaly (rate_spike, score 90): 40 calls a minute", IncidentType.BreakerAnomaly)]
    [InlineData(ContainmentScope.Agent, TripSource.Breaker, "breaker:scope-probe (3 violations in 60 s)", IncidentType.BreakerViolations)]
    [InlineData(ContainmentScope.Agent, TripSource.Breaker, "breaker:spend (budget overrun)", IncidentType.BreakerBudget)]
    [InlineData(ContainmentScope.Agent, TripSource.Person, "suspicious traffic", IncidentType.ManualKill)]
    [InlineData(ContainmentScope.Agent, TripSource.Person, "prompt injection in a ticket", IncidentType.Injection)]
    [InlineData(ContainmentScope.Segment, TripSource.Automation, "data exfiltration to an unknown host", IncidentType.DataExfiltration)]
    [InlineData(ContainmentScope.Agent, TripSource.Person, "its credential was posted in a chat", IncidentType.CredentialCompromise)]
    public void Classify_ByScopeSourceAndReason_ChoosesTheIncidentType(ContainmentScope scope, TripSource source, string reason, IncidentType expected) =>
        IncidentClassifier.Classify(new TripFacts(scope, source, "someone", reason)).ShouldBe(expected);

    [Fact]
    public void Runbooks_CoverEveryIncidentTypeOnceWithSteps()
    {
        var types = Enum.GetValues<IncidentType>();

        Runbooks.All.Select(r => r.Type).ShouldBe(types, ignoreOrder: true);
        Runbooks.All.Select(r => r.Key).ShouldBeUnique();
        Runbooks.All.ShouldAllBe(r => r.Steps.Count >= 3);
    }

    [Fact]
    public void Open_OnABreakerTrip_TakesTheRunbookOfItsTypeAndTheAgentsOwner()
    {
        var incident = Opened();

        incident.Type.ShouldBe(IncidentType.BreakerViolations);
        incident.RunbookKey.ShouldBe("breaker-violations");
        incident.Steps.Select(s => s.Text).ShouldBe(Runbooks.For(IncidentType.BreakerViolations).Steps);
        incident.OwnerId.ShouldBe(Owen.Id);
        incident.State.ShouldBe(IncidentState.Open);
    }

    [Fact]
    public void Open_WithoutOneAgent_IsOwnedByThePersonWhoTripped()
    {
        var incident = Incident.Open("inc_1", "cnt_1", new TripFacts(ContainmentScope.Global, TripSource.Person, "Olivia Officer", "stop"),
            "*", "all agents", Now, agent: null, fallbackOwner: Olivia, detection: null, Now);

        incident.OwnerId.ShouldBe(Olivia.Id);
        incident.AgentId.ShouldBeNull();
    }

    [Fact]
    public void Open_WithADetectionBeforeTheTrip_MeasuresDetectionToTrip()
    {
        var incident = Opened(detection: new Detection(Now.AddSeconds(-42), "violation", "dec_1", "out of scope"));

        incident.DetectedAt.ShouldBe(Now.AddSeconds(-42));
        incident.DetectionToTrip.ShouldBe(TimeSpan.FromSeconds(42));
    }

    [Fact]
    public void Open_WithADetectionAfterTheTrip_RecordsNoDetection()
    {
        var incident = Opened(detection: new Detection(Now.AddSeconds(1), "anomaly", "anm_1", "late"));

        incident.DetectedAt.ShouldBeNull();
        incident.DetectionToTrip.ShouldBeNull();
    }

    [Fact]
    public void TimeToContain_FromDetection_ToTheTripAndToTheFirstRefusal()
    {
        var ttc = TimeToContain.Of(Now.AddSeconds(-10), Now, Now.AddMilliseconds(5), Now.AddMilliseconds(25));

        ttc.DetectionToTrip.ShouldBe(TimeSpan.FromSeconds(10));
        ttc.DetectionToFirstRefusal.ShouldBe(TimeSpan.FromMilliseconds(10_025));
        ttc.TripToFirstRefusal.ShouldBe(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void TickStep_RecordsWhoAndWhen_AndRefusesASecondTick()
    {
        var incident = Opened();

        incident.TickStep(1, Olivia, Now).IsSuccess.ShouldBeTrue();
        var again = incident.TickStep(1, Oscar, Now.AddMinutes(1));

        again.Error.ShouldBe(IncidentErrors.StepAlreadyDone);
        incident.Steps[1].DoneByName.ShouldBe(Olivia.Name);
        incident.Steps[1].DoneAt.ShouldBe(Now);
        incident.TickStep(99, Olivia, Now).Error.ShouldBe(IncidentErrors.UnknownStep);
    }

    [Theory]
    [InlineData(null, "cause", "actions")]
    [InlineData("what", " ", "actions")]
    [InlineData("what", "cause", "")]
    public void Close_WithoutAFullReview_IsRefusedAndStaysOpen(string? what, string? cause, string? actions)
    {
        var incident = Opened();

        var result = incident.Close(new IncidentReview(what, cause, actions), Olivia, reviewerIsOfficer: true, Now);

        result.Error.ShouldBe(IncidentErrors.ReviewIncomplete);
        incident.State.ShouldBe(IncidentState.Open);
        incident.ClosedAt.ShouldBeNull();
    }

    [Fact]
    public void Close_ByItsOwnerWhoIsNoOfficer_IsRefused()
    {
        var incident = Opened();

        var result = incident.Close(FullReview, Owen, reviewerIsOfficer: false, Now);

        result.Error.ShouldBe(IncidentErrors.ReviewerMustBeSecondPerson);
        incident.State.ShouldBe(IncidentState.Open);
    }

    [Fact]
    public void Close_WithAReview_ClosesAndFreezesTheIncident()
    {
        var incident = Opened();

        incident.Close(FullReview, Olivia, reviewerIsOfficer: true, Now).IsSuccess.ShouldBeTrue();

        incident.State.ShouldBe(IncidentState.Closed);
        incident.ReviewedByName.ShouldBe(Olivia.Name);
        incident.RootCause.ShouldBe(FullReview.RootCause);
        incident.AddNote("late", Olivia, Now).Error.ShouldBe(IncidentErrors.Closed);
        incident.TickStep(0, Olivia, Now).Error.ShouldBe(IncidentErrors.Closed);
        incident.Assign(Oscar).Error.ShouldBe(IncidentErrors.Closed);
        incident.Close(FullReview, Oscar, reviewerIsOfficer: true, Now).Error.ShouldBe(IncidentErrors.Closed);
    }

    [Fact]
    public void Tabletop_Schedule_RefusesAnUnknownScenario()
    {
        var scheduled = TabletopExercise.Schedule("ttx_1", "Q2 drill", "no-such-runbook", Now, Olivia);

        scheduled.Error.ShouldBe(TabletopErrors.UnknownScenario);
    }

    [Fact]
    public void Tabletop_Complete_NeedsParticipantsAndFindings_ThenRecordsThem()
    {
        var exercise = TabletopExercise.Schedule("ttx_1", "Q2 drill", "injection", Now, Olivia).Value;

        exercise.Complete(" , ", "found a gap", Olivia, Now).Error.ShouldBe(TabletopErrors.ParticipantsRequired);
        exercise.Complete("Olivia", " ", Olivia, Now).Error.ShouldBe(TabletopErrors.FindingsRequired);
        exercise.Complete("Olivia, Owen\nOscar, olivia", "Nobody knew who tells the DPO", Olivia, Now).IsSuccess.ShouldBeTrue();

        exercise.State.ShouldBe(TabletopState.Completed);
        exercise.Participants.ShouldBe("Olivia, Owen, Oscar");
        exercise.Steps.Count.ShouldBe(Runbooks.Find("injection")!.Steps.Count);
        exercise.TickStep(0, Olivia, Now).Error.ShouldBe(TabletopErrors.AlreadyCompleted);
    }
}
