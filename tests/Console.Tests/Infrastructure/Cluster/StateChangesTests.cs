using Warden.Domain.Agents;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Cluster;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Tests.Infrastructure.Cluster;

/// <summary>
/// The notification payload that tells other instances what a state change touched. Whatever it
/// cannot name exactly, it must name as "any" (the whole view is read), never as nothing.
/// </summary>
public sealed class StateChangesTests
{
    [Fact]
    public void APayload_ReadsBackAsTheSameTypesAndKeys()
    {
        var changes = new StateChanges();
        changes.Add(typeof(Agent), "agt_demo_support");
        changes.Add(typeof(Agent), "agt_demo_payments");
        changes.Add(typeof(Trip), "cnt_1");
        changes.Add(typeof(AgentCredential), null);

        var payload = changes.Payload(42);
        payload.ShouldBe("42 Agent:agt_demo_payments,agt_demo_support AgentCredential Containment:cnt_1");
        StateChanges.TryParse(payload, out var epoch, out var read).ShouldBeTrue();

        epoch.ShouldBe(42);
        read.KeysOf(typeof(Agent)).ShouldBe(["agt_demo_payments", "agt_demo_support"], ignoreOrder: true);
        read.KeysOf(typeof(Trip)).ShouldBe(["cnt_1"]);
        read.Touches(typeof(AgentCredential)).ShouldBeTrue();
        read.KeysOf(typeof(AgentCredential)).ShouldBeNull("any credential");
        read.Touches(typeof(string)).ShouldBeFalse();
    }

    [Fact]
    public void AContainment_NamesTheAgentsItContained_WhichNoViewReloadsFor()
    {
        var changes = new StateChanges();
        changes.Add(typeof(Agent), "agt_demo_support");
        changes.Add(typeof(Trip), "cnt_1");
        changes.Contained("agt_demo_support");

        StateChanges.TryParse(changes.Payload(8), out var epoch, out var read).ShouldBeTrue();

        epoch.ShouldBe(8);
        read.ContainedAgents.ShouldBe(["agt_demo_support"]);
        read.KeysOf(typeof(Agent)).ShouldBe(["agt_demo_support"]);
        read.Touches(typeof(Agent)).ShouldBeTrue();
        new StateChanges().ContainedAgents.ShouldBeEmpty();
    }

    [Fact]
    public void TooManyContainedAgentsToName_AreNotTakenOnNotice()
    {
        var many = new StateChanges();
        for (var i = 0; i <= StateChanges.MaxKeysPerType; i++)
            many.Contained($"agt_{i}");
        StateChanges.TryParse(many.Payload(3), out _, out var read).ShouldBeTrue();
        read.ContainedAgents.ShouldBeEmpty("unnamed, they wait for the read of the epoch, as before");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("17")]
    [InlineData("seventeen Agent")]
    [InlineData("-3 Agent")]
    [InlineData("17 Agent:")]
    [InlineData("17 Agent:a,,b")]
    [InlineData("17 :a")]
    public void APayloadThatNamesNothingReadable_IsNotRead(string? payload) =>
        StateChanges.TryParse(payload, out _, out _).ShouldBeFalse();

    [Fact]
    public void TooManyKeys_OrAKeyThatCannotBeWritten_MakeTheTypeAny()
    {
        var many = new StateChanges();
        for (var i = 0; i <= StateChanges.MaxKeysPerType; i++)
            many.Add(typeof(Agent), $"agt_{i}");
        many.KeysOf(typeof(Agent)).ShouldBeNull();

        foreach (var awkward in new[] { "a b", "a,b", "a:b", "", new string('x', 101) })
        {
            var one = new StateChanges();
            one.Add(typeof(Agent), "agt_1");
            one.Add(typeof(Agent), awkward);
            one.KeysOf(typeof(Agent)).ShouldBeNull(awkward);
            StateChanges.TryParse(one.Payload(1), out _, out var read).ShouldBeTrue();
            read.Touches(typeof(Agent)).ShouldBeTrue();
            read.KeysOf(typeof(Agent)).ShouldBeNull();
        }

        var unnamed = new StateChanges();
        unnamed.Add(typeof(Agent), null);
        unnamed.Add(typeof(Agent), "agt_1");
        unnamed.KeysOf(typeof(Agent)).ShouldBeNull("once any, a key does not narrow it again");
    }

    [Fact]
    public void APayloadTooLongForPostgres_NamesTheTypesOnly()
    {
        var changes = new StateChanges();
        for (var i = 0; i < StateChanges.MaxKeysPerType; i++)
        {
            changes.Add(typeof(Agent), "agt_" + new string('a', 90) + i);
            changes.Add(typeof(Trip), "cnt_" + new string('c', 90) + i);
        }
        var payload = changes.Payload(9);
        payload.ShouldBe("9 Agent Containment");
        StateChanges.TryParse(payload, out _, out var read).ShouldBeTrue();
        read.KeysOf(typeof(Agent)).ShouldBeNull();
        read.KeysOf(typeof(Trip)).ShouldBeNull();
    }

    [Fact]
    public void Merging_UnitesKeys_AndAnyWins()
    {
        var first = new StateChanges();
        first.Add(typeof(Agent), "agt_1");
        first.Add(typeof(Trip), "cnt_1");
        var second = new StateChanges();
        second.Add(typeof(Agent), "agt_2");
        second.Add(typeof(Trip), null);

        var all = new StateChanges();
        all.Merge(first);
        all.Merge(second);

        all.KeysOf(typeof(Agent)).ShouldBe(["agt_1", "agt_2"], ignoreOrder: true);
        all.Touches(typeof(Trip)).ShouldBeTrue();
        all.KeysOf(typeof(Trip)).ShouldBeNull();
        all.Names.ShouldBe("Agent Containment");
    }
}

/// <summary>
/// A notification that names every change lets the view move forward at once, but only a read of the
/// epoch says nothing newer exists: the view's age, which bounds how long this instance decides
/// without hearing from the database, must not be reset by a notification.
/// </summary>
public sealed class StateEpochReflectsTests
{
    private static StateEpoch Shared() => new(
        new Warden.Infrastructure.Storage.DatabaseConnection(Warden.Infrastructure.Storage.DatabaseProvider.Postgres, "Host=unused", "/tmp"),
        Microsoft.Extensions.Options.Options.Create(new ClusterOptions()),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<StateEpoch>.Instance);

    [Fact]
    public async Task Reflects_MovesTheViewAndReleasesWaiters_ButDoesNotMakeAnUnconfirmedViewCurrent()
    {
        var epoch = Shared();
        var waiting = epoch.CatchUpAsync(3, TestContext.Current.CancellationToken);

        epoch.Reflects(3);

        (await waiting).ShouldBeTrue();
        epoch.View.ShouldBe(3);
        epoch.IsCurrent.ShouldBeFalse("no read has confirmed that nothing newer than epoch 3 exists");
        epoch.Reflects(2);
        epoch.View.ShouldBe(3, "a view never moves back");
    }

    [Fact]
    public void Confirmed_AfterReflects_MakesTheViewCurrent()
    {
        var epoch = Shared();
        epoch.Reflects(5);
        epoch.Confirmed(5, System.Diagnostics.Stopwatch.GetTimestamp());
        epoch.IsCurrent.ShouldBeTrue();
        epoch.View.ShouldBe(5);
    }
}

/// <summary>
/// A containment another instance committed is refused on notice, before this instance has read it;
/// the notice is spent once the view has read its epoch, and a release never travels that way.
/// </summary>
public sealed class ContainOnNoticeTests
{
    private static readonly DateTimeOffset Minted = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnAgentContainedOnNotice_IsRefusedUntilTheViewHasReadThatEpoch_ThenItsStatusDecides()
    {
        var view = 4L;
        var gate = new AgentTokenGate();
        gate.FollowEpoch(() => view);

        gate.ContainOnNotice("agt_1", 5);

        gate.Check("agt_1", Minted).Refusal.ShouldBe(AgentTokenRefusal.Contained);
        gate.IsContained("agt_1").ShouldBeTrue();
        gate.Check("agt_2", Minted).IsAllowed.ShouldBeTrue("only the agent named");

        // The view read epoch 5 and its status: active here (for example released meanwhile).
        view = 5;
        gate.Check("agt_1", Minted).IsAllowed.ShouldBeTrue();
        gate.IsContained("agt_1").ShouldBeFalse();

        // A later read that loaded the containment keeps refusing, through the status.
        gate.StatusChanged("agt_1", AgentStatus.Contained, Minted.AddMinutes(1));
        gate.Check("agt_1", Minted).Refusal.ShouldBe(AgentTokenRefusal.Contained);
    }

    [Fact]
    public void ANoticeOfAnEpochAlreadyRead_IsIgnored()
    {
        var gate = new AgentTokenGate();
        gate.FollowEpoch(() => 9);

        gate.ContainOnNotice("agt_1", 9);
        gate.ContainOnNotice("agt_1", 3);

        gate.IsContained("agt_1").ShouldBeFalse("the view has read those epochs: a late notice must not contain a released agent again");
    }

    [Fact]
    public void ANoticeThatContainsTheAgent_CancelsItsSignal_OnceAndForThatAgentOnly()
    {
        var view = 4L;
        var gate = new AgentTokenGate();
        gate.FollowEpoch(() => view);
        var waiting = gate.NoticeSignal("agt_1");
        var other = gate.NoticeSignal("agt_2");
        gate.NoticeSignal("agt_1").ShouldBe(waiting, "decisions of one agent waiting together share its signal");

        gate.ContainOnNotice("agt_1", 3);
        waiting.IsCancellationRequested.ShouldBeFalse("a notice of an epoch already read contains nothing");

        gate.ContainOnNotice("agt_1", 5);
        waiting.IsCancellationRequested.ShouldBeTrue();
        other.IsCancellationRequested.ShouldBeFalse();
        var next = gate.NoticeSignal("agt_1");
        next.IsCancellationRequested.ShouldBeFalse("a decision after the notice meets the gate itself; its signal waits for the next notice");
        view = 5;
        gate.IsContained("agt_1").ShouldBeFalse();
    }

    [Fact]
    public void OnOneInstance_NothingIsTakenOnNotice()
    {
        var gate = new AgentTokenGate();
        gate.ContainOnNotice("agt_1", 1);
        gate.IsContained("agt_1").ShouldBeFalse();
    }
}
