using Warden.Domain.Metrics;

namespace Warden.Tests.Domain.Metrics;

/// <summary>Each metric against a hand-built history whose answers are worked out by hand in the comments.</summary>
public sealed class GovernanceCalculatorTests
{
    private static readonly DateTimeOffset End = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private static readonly MetricPeriod Week = MetricPeriod.Ending(End, TimeSpan.FromDays(7));
    private static readonly DateTimeOffset Start = Week.Start;
    private static readonly DateTimeOffset PreviousStart = Week.Previous.Start;

    // Two owners: olivia owns a1 and a2, oscar owns b1.
    private static readonly Dictionary<string, string> Owners = new() { ["a1"] = "olivia", ["a2"] = "olivia", ["b1"] = "oscar" };

    private static GovernanceHistory History(
        IReadOnlyList<DecisionTally>? decisions = null, IReadOnlyList<ContainmentFact>? containments = null, IReadOnlyList<ApprovalFact>? approvals = null,
        IReadOnlyList<AnomalyFact>? anomalies = null, IReadOnlyList<EvidenceFact>? evidence = null) =>
        new(Owners, decisions ?? [], [], containments ?? [], approvals ?? [], anomalies ?? [], evidence ?? []);

    private static ContainmentFact Trip(ContainmentTarget scope, string target, int dayOffset, double seconds, bool drill = false) =>
        new(scope, target, Start.AddDays(dayOffset), TimeSpan.FromSeconds(seconds), drill);

    [Fact]
    public void TimeToContain_OverTripsAndDrills_IsTheNearestRankP50AndP95()
    {
        // Current week: 1, 2, 3, 4 and 10 s → p50 rank ceil(2.5)=3 → 3 s; p95 rank ceil(4.75)=5 → 10 s. Previous week: one trip of 8 s.
        var history = History(containments:
        [
            Trip(ContainmentTarget.Agent, "a1", 0, 4), Trip(ContainmentTarget.Agent, "a2", 1, 1, drill: true), Trip(ContainmentTarget.Owner, "olivia", 2, 10),
            Trip(ContainmentTarget.Agent, "b1", 3, 2, drill: true), Trip(ContainmentTarget.Global, "*", 4, 3), Trip(ContainmentTarget.Agent, "a1", -3, 8),
        ]);

        var overall = GovernanceCalculator.Compute(history, MetricScope.Overall, Week);

        (overall.TimeToContainP50.Current, overall.TimeToContainP95.Current).ShouldBe((3.0, 10.0));
        (overall.TimeToContainP50.Previous, overall.Trips.Current, overall.Trips.Previous).ShouldBe((8.0, 5.0, 1.0));
        overall.TimeToContainP50.Change.ShouldBe(-5.0);
    }

    [Fact]
    public void TimeToContain_ForAnOwner_CountsTheirAgentsAndOwnerTripsButNotGlobalOnes()
    {
        // olivia: a1 4 s, a2 1 s, owner trip 10 s → p50 4 s, p95 10 s; the global and b1 trips are not hers.
        var history = History(containments:
        [
            Trip(ContainmentTarget.Agent, "a1", 0, 4), Trip(ContainmentTarget.Agent, "a2", 1, 1), Trip(ContainmentTarget.Owner, "olivia", 2, 10),
            Trip(ContainmentTarget.Agent, "b1", 3, 2), Trip(ContainmentTarget.Global, "*", 4, 3),
        ]);

        var olivia = GovernanceCalculator.Compute(history, MetricScope.Owner("olivia"), Week);
        var a2 = GovernanceCalculator.Compute(history, MetricScope.Agent("a2"), Week);

        (olivia.TimeToContainP50.Current, olivia.TimeToContainP95.Current, olivia.Trips.Current).ShouldBe((4.0, 10.0, 3.0));
        (a2.TimeToContainP50.Current, a2.Trips.Current).ShouldBe((1.0, 1.0));
    }

    [Fact]
    public void MeanTimeBetweenUnsafeAttempts_IsThePeriodDividedByTheAttempts()
    {
        // 7 days = 604,800 s; 14 attempts this week → 43,200 s (12 h); 7 last week → 86,400 s.
        var history = History(decisions:
        [
            new DecisionTally("a1", true, 1000, 0, 10), new DecisionTally("b1", true, 500, 0, 4), new DecisionTally("a1", false, 900, 0, 7),
        ]);

        var overall = GovernanceCalculator.Compute(history, MetricScope.Overall, Week);
        var b1 = GovernanceCalculator.Compute(history, MetricScope.Agent("b1"), Week);

        (overall.MeanTimeBetweenUnsafeAttempts.Current, overall.MeanTimeBetweenUnsafeAttempts.Previous).ShouldBe((43_200.0, 86_400.0));
        b1.MeanTimeBetweenUnsafeAttempts.Current.ShouldBe(151_200.0);
        b1.MeanTimeBetweenUnsafeAttempts.Previous.ShouldBeNull();
    }

    [Fact]
    public void WithinAllowlistShare_IsCallsInsideTheAllowlistOverAllCalls()
    {
        // olivia: a1 1000 calls 50 outside, a2 1000 calls 150 outside → 1800/2000 = 0.9; oscar 100 calls none outside → 1.
        var history = History(decisions:
        [
            new DecisionTally("a1", true, 1000, 50, 60), new DecisionTally("a2", true, 1000, 150, 150), new DecisionTally("b1", true, 100, 0, 0),
            new DecisionTally("a1", false, 400, 100, 100),
        ]);

        var olivia = GovernanceCalculator.Compute(history, MetricScope.Owner("olivia"), Week);
        var oscar = GovernanceCalculator.Compute(history, MetricScope.Owner("oscar"), Week);

        (olivia.WithinAllowlistShare.Current, olivia.WithinAllowlistShare.Previous).ShouldBe((0.9, 0.75));
        olivia.ToolCalls.Current.ShouldBe(2000);
        oscar.WithinAllowlistShare.Current.ShouldBe(1.0);
        oscar.WithinAllowlistShare.Previous.ShouldBeNull();
    }

    [Fact]
    public void AnomaliesCaughtBeforeExecution_CountsThoseWhoseRequestNeverRan()
    {
        // This week: 4 anomalies, 3 caught → 0.75; one outside both weeks is ignored.
        var history = History(anomalies:
        [
            new AnomalyFact("a1", Start.AddHours(1), true), new AnomalyFact("a1", Start.AddHours(2), false), new AnomalyFact("b1", Start.AddDays(2), true),
            new AnomalyFact("a2", Start.AddDays(6), true), new AnomalyFact("a2", Start.AddDays(-1), false), new AnomalyFact("a1", PreviousStart.AddDays(-1), true),
        ]);

        var overall = GovernanceCalculator.Compute(history, MetricScope.Overall, Week);
        var a1 = GovernanceCalculator.Compute(history, MetricScope.Agent("a1"), Week);

        (overall.Anomalies.Current, overall.AnomaliesCaughtBeforeExecution.Current, overall.AnomaliesCaughtShare.Current).ShouldBe((4.0, 3.0, 0.75));
        (overall.Anomalies.Previous, overall.AnomaliesCaughtShare.Previous).ShouldBe((1.0, 0.0));
        a1.AnomaliesCaughtShare.Current.ShouldBe(0.5);
    }

    [Fact]
    public void ApprovalLatency_IsOverRequestsResolvedInThePeriod()
    {
        // Resolved this week after 60, 120, 300 and 3600 s → p50 rank 2 = 120 s, p95 rank 4 = 3600 s. One still open; one resolved last week in 30 s.
        var history = History(approvals:
        [
            new ApprovalFact("a1", Start.AddHours(1), Start.AddHours(1).AddSeconds(60)),
            new ApprovalFact("a1", Start.AddHours(2), Start.AddHours(2).AddSeconds(120)),
            new ApprovalFact("b1", Start.AddHours(3), Start.AddHours(3).AddSeconds(300)),
            new ApprovalFact("a2", Start.AddHours(4), Start.AddHours(5)),
            new ApprovalFact("a2", Start.AddDays(6), null),
            new ApprovalFact("a1", PreviousStart.AddDays(1), PreviousStart.AddDays(1).AddSeconds(30)),
        ]);

        var overall = GovernanceCalculator.Compute(history, MetricScope.Overall, Week);

        (overall.ApprovalLatencyP50.Current, overall.ApprovalLatencyP95.Current).ShouldBe((120.0, 3600.0));
        overall.ApprovalLatencyP50.Previous.ShouldBe(30.0);
        (overall.ApprovalsOpened.Current, overall.ApprovalsOpened.Previous).ShouldBe((5.0, 1.0));
    }

    [Fact]
    public void QueueLoad_IsTheTimeWeightedMeanAndThePeakOfWaitingRequests()
    {
        // A 10 h period. One request waits all 10 h; a second from 2 h to 4 h; a third from 3 h and never resolved.
        // Depth: 1 (0–2 h), 2 (2–3 h), 3 (3–4 h), 2 (4–10 h) → area 2 + 2 + 3 + 12 = 19 h → mean 1.9, peak 3.
        var period = new MetricPeriod(Start, Start.AddHours(10));
        ApprovalFact[] approvals =
        [
            new("a1", Start.AddHours(-1), Start.AddHours(11)),
            new("a1", Start.AddHours(2), Start.AddHours(4)),
            new("a1", Start.AddHours(3), null),
        ];

        var (mean, peak) = GovernanceCalculator.QueueLoad(approvals, period);

        mean.ShouldBe(1.9, 1e-9);
        peak.ShouldBe(3);
    }

    [Fact]
    public void AuditReadiness_IsTheMeanCompletenessAndAssemblyTimeOfPacksCompletedInThePeriod()
    {
        // Overall this week: 100 % in 2 s, 80 % in 4 s, 60 % (a1) in 9 s → 0.8 and 5 s. a1 alone: 0.6 and 9 s.
        var history = History(evidence:
        [
            new EvidenceFact(null, null, Start.AddDays(1), 100, TimeSpan.FromSeconds(2)),
            new EvidenceFact(ContainmentTarget.Owner, "olivia", Start.AddDays(2), 80, TimeSpan.FromSeconds(4)),
            new EvidenceFact(ContainmentTarget.Agent, "a1", Start.AddDays(3), 60, TimeSpan.FromSeconds(9)),
            new EvidenceFact(null, null, PreviousStart.AddDays(3), 50, TimeSpan.FromSeconds(1)),
        ]);

        var overall = GovernanceCalculator.Compute(history, MetricScope.Overall, Week);
        var a1 = GovernanceCalculator.Compute(history, MetricScope.Agent("a1"), Week);
        var olivia = GovernanceCalculator.Compute(history, MetricScope.Owner("olivia"), Week);

        overall.EvidenceCompleteness.Current!.Value.ShouldBe(0.8, 1e-9);
        (overall.EvidenceAssemblySeconds.Current, overall.EvidencePacks.Current, overall.EvidenceCompleteness.Previous).ShouldBe((5.0, 3.0, 0.5));
        (a1.EvidenceCompleteness.Current, a1.EvidenceAssemblySeconds.Current).ShouldBe((0.6, 9.0));
        (olivia.EvidencePacks.Current, olivia.EvidenceAssemblySeconds.Current).ShouldBe((2.0, 6.5));
    }

    [Fact]
    public void Compute_WithAnEmptyHistory_ReportsNothingMeasuredRatherThanZeros()
    {
        var figures = GovernanceCalculator.Compute(History(), MetricScope.Overall, Week);

        figures.TimeToContainP50.Current.ShouldBeNull();
        figures.WithinAllowlistShare.Current.ShouldBeNull();
        figures.MeanTimeBetweenUnsafeAttempts.Current.ShouldBeNull();
        figures.EvidenceCompleteness.Current.ShouldBeNull();
        figures.Trips.Current.ShouldBe(0);
    }
}
