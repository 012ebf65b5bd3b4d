using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.People;
using Warden.Features.Approvals;

namespace Warden.Tests.Domain.Approvals;

public sealed class ApprovalLoadCalculatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ApprovalOptions Settings = new() { RubberStampSeconds = 10, MaxApprovalsPerHour = 3, LoadWindowDays = 7 };

    private static Voter Officer(string name) =>
        new(new UserId(name), $"{name}@warden.example", name, new HashSet<string>([Roles.SecurityOfficer]), IsActive: true);

    private static ApprovalRequest Decided(int index, DateTimeOffset opened, TimeSpan after, Voter by, Verdict verdict = Verdict.Approve)
    {
        var request = ApprovalRequest.Open($"dec_{index:D26}", "agt_demo_support", new UserId("owner"), null, 1, RiskTier.Low, null,
                                           opened, opened.AddMinutes(30));
        request.Vote(by, verdict, "reason", opened + after).IsSuccess.ShouldBeTrue();
        return request;
    }

    [Fact]
    public void TimeToDecision_IsTheNearestRankPercentileOfDecidedRequests()
    {
        var olivia = Officer("olivia");
        var requests = Enumerable.Range(1, 20).Select(i => Decided(i, Start.AddHours(i), TimeSpan.FromMinutes(i), olivia)).ToList();

        var load = ApprovalLoadCalculator.Compute(requests, new Dictionary<string, string>(), 4, 1, Settings);

        load.TimeToDecisionP50.ShouldBe(TimeSpan.FromMinutes(10));
        load.TimeToDecisionP95.ShouldBe(TimeSpan.FromMinutes(19));
        load.Decided.ShouldBe(20);
        load.QueueDepth.ShouldBe(4);
        load.Escalated.ShouldBe(1);
    }

    [Fact]
    public void NoDecisions_HaveNoPercentiles()
    {
        var load = ApprovalLoadCalculator.Compute([], new Dictionary<string, string>(), 0, 0, Settings);

        load.TimeToDecisionP50.ShouldBeNull();
        load.Officers.ShouldBeEmpty();
    }

    [Fact]
    public void ApprovalsFasterThanTheBound_AreFlagged_DenialsAndSlowApprovalsAreNot()
    {
        var olivia = Officer("olivia");
        var requests = new[]
        {
            Decided(1, Start, TimeSpan.FromSeconds(4), olivia),
            Decided(2, Start.AddHours(2), TimeSpan.FromSeconds(10), olivia),
            Decided(3, Start.AddHours(4), TimeSpan.FromSeconds(3), olivia, Verdict.Deny),
        };

        var load = ApprovalLoadCalculator.Compute(requests, new Dictionary<string, string> { ["agt_demo_support"] = "Support copilot" }, 0, 0, Settings);

        var flag = load.RubberStamps.ShouldHaveSingleItem();
        flag.RequestId.ShouldBe(requests[0].Id);
        flag.Seconds.ShouldBe(4);
        flag.AgentName.ShouldBe("Support copilot");
        load.Officers.Single().RubberStamps.ShouldBe(1);
    }

    [Fact]
    public void MoreApprovalsInOneHourThanTheBound_IsABurst()
    {
        var oscar = Officer("oscar");
        var olivia = Officer("olivia");
        var burst = Enumerable.Range(0, 4).Select(i => Decided(i, Start.AddMinutes(i * 14), TimeSpan.FromMinutes(1), oscar));
        var spread = Enumerable.Range(10, 4).Select(i => Decided(i, Start.AddMinutes(i * 25), TimeSpan.FromMinutes(1), olivia));

        var load = ApprovalLoadCalculator.Compute([.. burst, .. spread], new Dictionary<string, string>(), 0, 0, Settings);

        var flag = load.Bursts.ShouldHaveSingleItem();
        flag.OfficerName.ShouldBe("oscar");
        flag.Approvals.ShouldBe(4);
        load.Officers.Single(o => o.Name == "olivia").BusiestHour.ShouldBe(3);
    }
}
