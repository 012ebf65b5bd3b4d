using Warden.Domain.Notifications;
using Warden.Domain.People;

namespace Warden.Tests.Domain.Notifications;

public sealed class AlertKindTests
{
    private static readonly HashSet<string> Officer = [Roles.SecurityOfficer];
    private static readonly HashSet<string> Owner = [Roles.AgentOwner];
    private static readonly HashSet<string> Auditor = [Roles.Auditor];

    [Fact]
    public void SendsEmail_WithoutAChoice_FollowsTheRoleDefaults()
    {
        var approvals = AlertKinds.Find(AlertKinds.ApprovalWaiting)!;
        var packs = AlertKinds.Find(AlertKinds.PackReady)!;

        approvals.SendsEmail(Officer, ownsAConcernedAgent: false, choice: null).ShouldBeTrue();
        approvals.SendsEmail(Auditor, ownsAConcernedAgent: false, choice: null).ShouldBeFalse();
        packs.SendsEmail(Auditor, ownsAConcernedAgent: false, choice: null).ShouldBeTrue();
        packs.SendsEmail(Officer, ownsAConcernedAgent: false, choice: null).ShouldBeFalse();
    }

    [Fact]
    public void SendsEmail_ToAnOwner_OnlyForTheirOwnAgents()
    {
        var trips = AlertKinds.Find(AlertKinds.Tripped)!;

        trips.SendsEmail(Owner, ownsAConcernedAgent: true, choice: null).ShouldBeTrue();
        trips.SendsEmail(Owner, ownsAConcernedAgent: false, choice: null).ShouldBeFalse();
        trips.SendsEmail(Owner, ownsAConcernedAgent: false, choice: true).ShouldBeFalse();
    }

    [Fact]
    public void SendsEmail_HonoursAChoiceBothWays_ButNeverBeyondWhoItReaches()
    {
        var anomalies = AlertKinds.Find(AlertKinds.Anomaly)!;
        var approvals = AlertKinds.Find(AlertKinds.ApprovalWaiting)!;

        anomalies.SendsEmail(Officer, ownsAConcernedAgent: false, choice: true).ShouldBeTrue();
        approvals.SendsEmail(Officer, ownsAConcernedAgent: false, choice: false).ShouldBeFalse();
        approvals.SendsEmail(Auditor, ownsAConcernedAgent: false, choice: true).ShouldBeFalse();
    }
}
