using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Features.Approvals;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Approvals;

/// <summary>
/// Exactly once under contention: many votes race real SQLite transactions on one request, and only
/// one final state (with one audit event) comes out; every loser is told why.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ApprovalRaceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const int Racers = 24;

    [Fact]
    public async Task TwentyFourOfficersApproveADualControlRequestAtOnce_TwoVotesCountAndOneApprovalIsRecorded()
    {
        var held = await ApprovalScenario.HoldAsync(app, critical: true);
        var officers = new List<string>();
        for (var i = 0; i < Racers; i++)
            officers.Add(await ApprovalScenario.NewOfficerAsync(app, $"racer{i}"));
        using var start = new ManualResetEventSlim();

        var votes = officers.Select(email => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            return await app.AsUserAsync<ApprovalService, Result<VoteResult>>(email, s => s.VoteAsync(held.RequestId, Verdict.Approve, "invoice checked"));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(votes);

        results.Count(r => r.IsSuccess).ShouldBe(2);
        results.Count(r => r.IsSuccess && r.Value.State == ApprovalState.Approved).ShouldBe(1);
        results.Where(r => r.IsFailure).ShouldAllBe(r => r.Error.Code == ApprovalErrors.AlreadyDecidedCode && r.Error.Message.StartsWith("Already approved by"));
        (await ApprovalScenario.EventsAsync(app, "approval.approved", held.RequestId)).ShouldBe(1);
        (await ApprovalScenario.EventsAsync(app, "approval.voted", held.RequestId)).ShouldBe(2);
        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Auditor, s => s.GetAsync(held.RequestId));
        card.Value.State.ShouldBe(ApprovalState.Approved);
        card.Value.Votes.Count.ShouldBe(2);
    }

    [Fact]
    public async Task OneOfficerClicksApproveTwentyFourTimesAtOnce_OneVoteOneApproval()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        var officer = await ApprovalScenario.NewOfficerAsync(app, "clicker");
        using var start = new ManualResetEventSlim();

        var clicks = Enumerable.Range(0, Racers).Select(_ => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            return await app.AsUserAsync<ApprovalService, Result<VoteResult>>(officer, s => s.VoteAsync(held.RequestId, Verdict.Approve, "fine"));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(clicks);

        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Single(r => r.IsSuccess).Value.State.ShouldBe(ApprovalState.Approved);
        results.Where(r => r.IsFailure).ShouldAllBe(r => r.Error.Code == ApprovalErrors.AlreadyDecidedCode);
        (await ApprovalScenario.EventsAsync(app, "approval.voted", held.RequestId)).ShouldBe(1);
        (await ApprovalScenario.EventsAsync(app, "approval.approved", held.RequestId)).ShouldBe(1);
    }

    [Fact]
    public async Task ApprovalsAndDenialsRace_ExactlyOneFinalStateAndItMatchesTheVotes()
    {
        var held = await ApprovalScenario.HoldAsync(app, critical: true);
        var officers = new List<string>();
        for (var i = 0; i < Racers; i++)
            officers.Add(await ApprovalScenario.NewOfficerAsync(app, $"mixed{i}"));
        using var start = new ManualResetEventSlim();

        var votes = officers.Select((email, i) => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            var verdict = i % 3 == 0 ? Verdict.Deny : Verdict.Approve;
            return await app.AsUserAsync<ApprovalService, Result<VoteResult>>(email, s => s.VoteAsync(held.RequestId, verdict, "my call"));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(votes);

        var final = results.Where(r => r.IsSuccess && r.Value.State != ApprovalState.Pending).ShouldHaveSingleItem().Value.State;
        var approved = await ApprovalScenario.EventsAsync(app, "approval.approved", held.RequestId);
        var denied = await ApprovalScenario.EventsAsync(app, "approval.denied", held.RequestId);
        (approved + denied).ShouldBe(1);
        (final == ApprovalState.Approved ? approved : denied).ShouldBe(1);
        var card = await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Auditor, s => s.GetAsync(held.RequestId));
        card.Value.State.ShouldBe(final);
        (await ApprovalScenario.EventsAsync(app, "approval.voted", held.RequestId)).ShouldBe(card.Value.Votes.Count);
    }
}
