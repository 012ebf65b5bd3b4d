using Warden.Domain.Behaviour;

namespace Warden.Tests.Domain.Behaviour;

public sealed class AgentBaselineTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] UsualTools = ["crm.read", "crm.update", "mail.draft"];

    /// <summary>Steady office traffic: 09:00–16:59 UTC, three requests a minute, three tools, one denial in fifty.</summary>
    private static List<Anomaly> Steady(AgentBaseline baseline, int days, DateTimeOffset? from = null)
    {
        var found = new List<Anomaly>();
        var start = from ?? Monday;
        var n = 0;
        for (var day = 0; day < days; day++)
        {
            for (var minute = 9 * 60; minute < 17 * 60; minute++)
            {
                for (var i = 0; i < 3; i++)
                {
                    var at = start.AddDays(day).AddMinutes(minute).AddSeconds(i * 20);
                    found.AddRange(baseline.Observe(new BehaviourObservation(at, UsualTools[n % 3], $"crm/accounts/{n % 97}", n % 50 == 0), BaselineSettings.Default));
                    n++;
                }
            }
        }
        return found;
    }

    [Fact]
    public void Observe_SteadyTrafficForTwoWeeks_RaisesNothing()
    {
        var baseline = new AgentBaseline();

        var found = Steady(baseline, 14);

        found.ShouldBeEmpty();
        baseline.Observations.ShouldBe(14 * 8 * 60 * 3);
    }

    [Fact]
    public void Observe_ABurstOfRequestsFarAboveTheUsualRate_RaisesOneRateSpike()
    {
        var baseline = new AgentBaseline();
        Steady(baseline, 3);
        var burstAt = Monday.AddDays(3).AddHours(10);

        var found = Enumerable.Range(0, 120)
            .SelectMany(i => baseline.Observe(new BehaviourObservation(burstAt.AddMilliseconds(i * 400), "crm.read", "crm/accounts/1", false), BaselineSettings.Default))
            .ToList();

        var spike = found.ShouldHaveSingleItem();
        spike.Kind.ShouldBe(AnomalyKind.RateSpike);
        spike.Score.ShouldBeGreaterThanOrEqualTo(50);
        spike.Explanation.ShouldContain("requests in one minute");
    }

    [Fact]
    public void Observe_TheUsualRateAfterALongIdleNight_RaisesNoRateSpike()
    {
        var baseline = new AgentBaseline();
        Steady(baseline, 2);

        var found = Steady(baseline, 1, Monday.AddDays(2));

        found.ShouldNotContain(a => a.Kind == AnomalyKind.RateSpike);
    }

    [Fact]
    public void Observe_AToolNeverUsedBefore_RaisesNewToolOnceOnly()
    {
        var baseline = new AgentBaseline();
        Steady(baseline, 1);
        var at = Monday.AddDays(1).AddHours(10);

        var first = baseline.Observe(new BehaviourObservation(at, "payments.transfer", "bank/accounts/1", false), BaselineSettings.Default);
        var second = baseline.Observe(new BehaviourObservation(at.AddSeconds(30), "payments.transfer", "bank/accounts/1", false), BaselineSettings.Default);

        first.ShouldHaveSingleItem().Kind.ShouldBe(AnomalyKind.NewTool);
        first[0].Explanation.ShouldContain("payments.transfer");
        second.ShouldBeEmpty();
    }

    [Fact]
    public void Observe_ANewToolBeforeTheBaselineIsWarm_IsQuiet()
    {
        var baseline = new AgentBaseline();

        var found = baseline.Observe(new BehaviourObservation(Monday, "anything", "x/y", false), BaselineSettings.Default);

        found.ShouldBeEmpty();
    }

    [Fact]
    public void Observe_ActivityAtThreeInTheMorning_RaisesUnusualHour()
    {
        var baseline = new AgentBaseline();
        Steady(baseline, 5);

        var found = baseline.Observe(new BehaviourObservation(Monday.AddDays(5).AddHours(3), "crm.read", "crm/accounts/1", false), BaselineSettings.Default);

        var unusual = found.ShouldHaveSingleItem();
        unusual.Kind.ShouldBe(AnomalyKind.UnusualHour);
        unusual.Explanation.ShouldContain("03:00");
    }

    [Fact]
    public void Observe_UnusualHourInTheFirstDays_IsQuietUntilTheHoursAreKnown()
    {
        var baseline = new AgentBaseline();
        Steady(baseline, 2);

        var found = baseline.Observe(new BehaviourObservation(Monday.AddDays(2).AddHours(3), "crm.read", "crm/accounts/1", false), BaselineSettings.Default);

        found.ShouldBeEmpty();
    }

    [Fact]
    public void Observe_ABurstOfDenials_RaisesOneDenialBurst()
    {
        var baseline = new AgentBaseline();
        Steady(baseline, 2);
        var at = Monday.AddDays(2).AddHours(11);

        var found = Enumerable.Range(0, 30)
            .SelectMany(i => baseline.Observe(new BehaviourObservation(at.AddSeconds(i * 5), "crm.update", "crm/accounts/1", true), BaselineSettings.Default))
            .ToList();

        var burst = found.ShouldHaveSingleItem();
        burst.Kind.ShouldBe(AnomalyKind.DenialBurst);
        burst.Explanation.ShouldContain("were denied");
    }

    [Fact]
    public void Observe_AnAgentThatIsUsuallyDeniedHalfTheTime_RaisesNoDenialBurstAtItsUsualRatio()
    {
        var baseline = new AgentBaseline();

        var found = Enumerable.Range(0, 5000)
            .SelectMany(i => baseline.Observe(new BehaviourObservation(Monday.AddHours(10).AddSeconds(i * 20), "crm.read", "crm/a/1", i % 2 == 0), BaselineSettings.Default))
            .ToList();

        found.ShouldNotContain(a => a.Kind == AnomalyKind.DenialBurst);
    }

    [Fact]
    public void Snapshot_RestoredBaseline_DetectsAsTheOriginalWould()
    {
        var original = new AgentBaseline();
        Steady(original, 5);

        var restored = AgentBaseline.Restore(original.ToSnapshot());
        var at = Monday.AddDays(5).AddHours(3);
        var fromOriginal = original.Observe(new BehaviourObservation(at, "payments.transfer", "bank/1", false), BaselineSettings.Default);
        var fromRestored = restored.Observe(new BehaviourObservation(at, "payments.transfer", "bank/1", false), BaselineSettings.Default);

        fromRestored.Select(a => (a.Kind, a.Score)).ShouldBe(fromOriginal.Select(a => (a.Kind, a.Score)));
        restored.Summarize().ShouldBeEquivalentTo(original.Summarize());
    }

    [Fact]
    public void Summarize_SteadyTraffic_DescribesRateToolsHoursAreasAndDenyRatio()
    {
        var baseline = new AgentBaseline();
        Steady(baseline, 7);

        var summary = baseline.Summarize();

        summary.DistinctTools.ShouldBe(3);
        summary.ActiveHours.ShouldBe([9, 10, 11, 12, 13, 14, 15, 16]);
        summary.ResourceAreas.ShouldBe(1);
        summary.DenyRatio.ShouldBe(0.02, 0.01);
        // Three a minute for eight hours a day is one a minute on average; the weighted mean ends a busy day above it.
        summary.RatePerMinute.ShouldBeInRange(0.5, 2.0);
    }

    [Theory]
    [InlineData("crm/accounts/42", "crm/accounts/7")]
    [InlineData("s3://bucket/a", "s3://bucket/b")]
    public void AreaHash_ResourcesInTheSameArea_AreEqual(string a, string b) =>
        AgentBaseline.AreaHash(a).ShouldBe(AgentBaseline.AreaHash(b));
}
