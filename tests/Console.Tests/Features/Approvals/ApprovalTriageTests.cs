using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Features.Approvals;

namespace Warden.Tests.Features.Approvals;

public sealed class ApprovalTriageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    internal static ApprovalCard Card(
        string id, string risk = "low", string agent = "Support bot", string owner = "Owen Owner", string tool = "tickets.reply",
        int openedMinutesAgo = 5, int minutesLeft = 10, bool escalated = false, string[]? findings = null, DateTimeOffset? now = null)
    {
        var at = now ?? Now;
        return new(id, "dec_" + id, "agt_" + agent.Replace(' ', '_'), agent, owner, "purpose", 0, tool, "write", "res/1", risk, 1, 0m, null, "{}", null, null,
            ["held"], 1, [], at.AddMinutes(-openedMinutesAgo), at.AddMinutes(minutesLeft), escalated ? at.AddMinutes(-1) : null,
            ApprovalState.Pending, null, null, null,
            [.. (findings ?? []).Select(k => new CardFinding(k, "$.body", 0.9, "…", "request"))]);
    }

    [Fact]
    public void Risk_WithAnInjectionFindingOnALowRiskTool_IsHigh()
    {
        Card("a", "low", findings: ["injection.override"]).Risk.ShouldBe(RiskTier.High);
    }

    [Fact]
    public void Risk_WithASecretFinding_IsCritical_AndWithPersonalDataOnALowTool_IsMedium()
    {
        Card("a", "low", findings: ["secret.cloud_key"]).Risk.ShouldBe(RiskTier.Critical);
        Card("b", "low", findings: ["pii.email"]).Risk.ShouldBe(RiskTier.Medium);
    }

    [Fact]
    public void Risk_NeverFallsBelowTheToolsTier()
    {
        Card("a", "critical", findings: ["pii.email"]).Risk.ShouldBe(RiskTier.Critical);
        Card("b", "high").Risk.ShouldBe(RiskTier.High);
    }

    [Fact]
    public void Apply_ByPriority_PutsCriticalAndEscalatedFirst_ThenRisk_ThenTheSoonestDeadline()
    {
        var cards = new[]
        {
            Card("low-soon", "low", minutesLeft: 1),
            Card("high-late", "high", minutesLeft: 30),
            Card("high-soon", "high", minutesLeft: 3),
            Card("low-escalated", "low", minutesLeft: 20, escalated: true),
            Card("critical", "critical", minutesLeft: 25),
            Card("injection", "low", minutesLeft: 40, findings: ["injection.override"]),
        };

        var ordered = ApprovalTriage.Apply(cards, QueueFilter.None, QueueSort.Priority, descending: false, Now);

        ordered.Select(c => c.Id).ShouldBe(["critical", "low-escalated", "high-soon", "high-late", "injection", "low-soon"]);
    }

    [Fact]
    public void Apply_WithFilters_KeepsOnlyWhatMatchesEveryOne()
    {
        var cards = new[]
        {
            Card("keep", "high", agent: "Payments bot", owner: "Nora Owner", tool: "payments.send", openedMinutesAgo: 20, minutesLeft: 4),
            Card("too-young", "high", agent: "Payments bot", owner: "Nora Owner", tool: "payments.send", openedMinutesAgo: 2, minutesLeft: 4),
            Card("too-much-time", "high", agent: "Payments bot", owner: "Nora Owner", tool: "payments.send", openedMinutesAgo: 20, minutesLeft: 40),
            Card("low-risk", "low", agent: "Payments bot", owner: "Nora Owner", tool: "payments.send", openedMinutesAgo: 20, minutesLeft: 4),
            Card("other-tool", "high", agent: "Payments bot", owner: "Nora Owner", tool: "invoices.read", openedMinutesAgo: 20, minutesLeft: 4),
            Card("other-owner", "high", agent: "Payments bot", owner: "Owen Owner", tool: "payments.send", openedMinutesAgo: 20, minutesLeft: 4),
            Card("other-agent", "high", agent: "Support bot", owner: "Nora Owner", tool: "payments.send", openedMinutesAgo: 20, minutesLeft: 4),
        };
        var filter = new QueueFilter(RiskTier.High, "agt_Payments_bot", "Nora Owner", "payments.send", TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5));

        var kept = ApprovalTriage.Apply(cards, filter, QueueSort.Priority, descending: false, Now);

        kept.Select(c => c.Id).ShouldBe(["keep"]);
        ApprovalTriage.Apply(cards, QueueFilter.None, QueueSort.Priority, false, Now).Count.ShouldBe(cards.Length);
    }

    [Theory]
    [InlineData(QueueSort.Risk, true, "c,b,a")]
    [InlineData(QueueSort.Risk, false, "a,b,c")]
    [InlineData(QueueSort.Agent, false, "a,b,c")]
    [InlineData(QueueSort.Owner, true, "c,b,a")]
    [InlineData(QueueSort.Tool, false, "a,b,c")]
    [InlineData(QueueSort.Age, true, "c,b,a")]
    [InlineData(QueueSort.TimeLeft, false, "a,b,c")]
    [InlineData(QueueSort.TimeLeft, true, "c,b,a")]
    public void Apply_SortsByTheColumn_EitherWay(QueueSort sort, bool descending, string expected)
    {
        var cards = new[]
        {
            Card("b", "medium", agent: "B agent", owner: "B owner", tool: "b.tool", openedMinutesAgo: 10, minutesLeft: 10),
            Card("c", "high", agent: "c agent", owner: "C owner", tool: "c.tool", openedMinutesAgo: 20, minutesLeft: 20),
            Card("a", "low", agent: "a agent", owner: "a owner", tool: "a.tool", openedMinutesAgo: 5, minutesLeft: 5),
        };

        var ordered = ApprovalTriage.Apply(cards, QueueFilter.None, sort, descending, Now);

        string.Join(',', ordered.Select(c => c.Id)).ShouldBe(expected);
    }
}
