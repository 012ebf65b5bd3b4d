using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Domain.Previews;

namespace Warden.Tests.Domain.Previews;

/// <summary>The preview-binding rule: an approval counts for the preview it was given on, and a change of the preview voids it.</summary>
public sealed class PreviewBindingRuleTests
{
    private static readonly DateTimeOffset Opened = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly Voter Olivia = Officer("olivia-1", "olivia@warden.example", "Olivia");
    private static readonly Voter Oscar = Officer("oscar-1", "oscar@warden.example", "Oscar");
    private static readonly string First = Preview("Pay 120.00 EUR to ACME").Digest;
    private static readonly string Second = Preview("Pay 12000.00 EUR to ACME").Digest;

    private static Voter Officer(string id, string email, string name) =>
        new(new UserId(id), email, name, new HashSet<string>([Roles.SecurityOfficer]), IsActive: true);

    private static ActionPreview Preview(string summary) => ActionPreview.Create(summary, "- 500.00\n+ 380.00", ["invoices/7"], 120m, "EUR").Value;

    private static ApprovalRequest Open(int required = 2, string? digest = null) =>
        ApprovalRequest.Open("dec_01M8A741YYNTAAJR8HBVPDQW7J", "agt_demo_payments", new UserId("owner-1"), null, required, RiskTier.High, "rule-1",
                             Opened, Opened.AddMinutes(15), previewDigest: digest ?? First);

    [Fact]
    public void Vote_ApprovingWithThePreviewShown_CountsAndRecordsItsDigest()
    {
        var request = Open();

        var result = request.Vote(Olivia, Verdict.Approve, "matches the invoice", Opened.AddMinutes(1), First);

        result.IsSuccess.ShouldBeTrue();
        request.Approvals.ShouldBe(1);
        request.Votes.Single().PreviewDigest.ShouldBe(First);
    }

    [Fact]
    public void Vote_ApprovingAnotherPreviewThanTheCurrentOne_IsRefusedAndRecordsNothing()
    {
        var request = Open();

        var result = request.Vote(Olivia, Verdict.Approve, "fine", Opened.AddMinutes(1), Second);

        result.Error.ShouldBe(PreviewErrors.Changed);
        request.Votes.ShouldBeEmpty();
    }

    [Fact]
    public void Vote_ApprovingWithoutHavingSeenThePreview_IsRefused()
    {
        var request = Open();

        request.Vote(Olivia, Verdict.Approve, "fine", Opened.AddMinutes(1)).Error.ShouldBe(PreviewErrors.Changed);
    }

    [Fact]
    public void Vote_DenyingNeedsNoPreviewDigest()
    {
        var request = Open();

        request.Vote(Olivia, Verdict.Deny, "not this one", Opened.AddMinutes(1)).Value.ShouldBe(ApprovalState.Denied);
    }

    [Fact]
    public void ChangePreview_ToAnotherDigest_VoidsEarlierApprovalsAndTheApprovalStartsAgain()
    {
        var request = Open();
        request.Vote(Olivia, Verdict.Approve, "matches the invoice", Opened.AddMinutes(1), First);

        var voided = request.ChangePreview(Second, Opened.AddMinutes(2));

        voided.Value.Select(v => v.VoterName).ShouldBe(["Olivia"]);
        request.Approvals.ShouldBe(0);
        request.Votes.Single().VoidedAt.ShouldBe(Opened.AddMinutes(2));
        request.PreviewDigest.ShouldBe(Second);
        request.PreviewChangedAt.ShouldBe(Opened.AddMinutes(2));
        request.State.ShouldBe(ApprovalState.Pending);
        request.ExpiresAt.ShouldBe(Opened.AddMinutes(15));
    }

    [Fact]
    public void ChangePreview_ThenTheSameOfficerMayApproveTheNewPreview_AndTwoLiveApprovalsAreNeeded()
    {
        var request = Open(required: 2);
        request.Vote(Olivia, Verdict.Approve, "ok", Opened.AddMinutes(1), First);
        request.ChangePreview(Second, Opened.AddMinutes(2));

        request.Vote(Olivia, Verdict.Approve, "still ok", Opened.AddMinutes(3), Second).Value.ShouldBe(ApprovalState.Pending);
        var final = request.Vote(Oscar, Verdict.Approve, "ok", Opened.AddMinutes(4), Second);

        final.Value.ShouldBe(ApprovalState.Approved);
        request.Votes.Count.ShouldBe(3);
        request.LiveVotes.ShouldAllBe(v => v.PreviewDigest == Second);
    }

    [Fact]
    public void ChangePreview_ToTheSameDigest_ChangesNothing()
    {
        var request = Open();
        request.Vote(Olivia, Verdict.Approve, "ok", Opened.AddMinutes(1), First);

        var voided = request.ChangePreview(First, Opened.AddMinutes(2));

        voided.Value.ShouldBeEmpty();
        request.Approvals.ShouldBe(1);
        request.PreviewChangedAt.ShouldBeNull();
    }

    [Fact]
    public void ChangePreview_OnAFinishedRequest_IsRefusedAndLeavesItUntouched()
    {
        var request = Open(required: 1);
        request.Vote(Olivia, Verdict.Approve, "ok", Opened.AddMinutes(1), First);

        var result = request.ChangePreview(Second, Opened.AddMinutes(2));

        result.Error.ShouldBe(PreviewErrors.NotPending);
        request.State.ShouldBe(ApprovalState.Approved);
        request.PreviewDigest.ShouldBe(First);
        request.Votes.Single().VoidedAt.ShouldBeNull();
    }

    [Fact]
    public void ChangePreview_PastTheDeadline_IsRefused()
    {
        var request = Open();

        request.ChangePreview(Second, Opened.AddMinutes(15)).Error.ShouldBe(PreviewErrors.NotPending);
    }

    [Fact]
    public void ChangePreview_OnARequestOpenedWithoutAPreview_BindsItAndVoidsApprovalsGivenWithoutOne()
    {
        var request = ApprovalRequest.Open("dec_01M8A741YYNTAAJR8HBVPDQW7K", "agt_demo_payments", new UserId("owner-1"), null, 2, RiskTier.High,
                                           "rule-1", Opened, Opened.AddMinutes(15));
        request.Vote(Olivia, Verdict.Approve, "ok", Opened.AddMinutes(1)).IsSuccess.ShouldBeTrue();

        request.ChangePreview(First, Opened.AddMinutes(2)).Value.Count.ShouldBe(1);

        request.Approvals.ShouldBe(0);
        request.PreviewDigest.ShouldBe(First);
    }

    [Fact]
    public void Outcome_ReportingTheApprovedDigest_IsNoViolation() =>
        PreviewBinding.Outcome(First, First.ToUpperInvariant()).ShouldBeNull();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0000")]
    public void Outcome_ReportingAnotherDigestOrNone_IsAPreviewMismatch(string? reported)
    {
        var excess = PreviewBinding.Outcome(First, reported);

        excess.ShouldNotBeNull();
        excess.Code.ShouldBe(DecisionCodes.PreviewMismatch);
        excess.ExtraRecords.ShouldBe(0);
        excess.ExtraAmount.ShouldBe(0m);
    }

    [Fact]
    public void Outcome_OfADecisionWithoutAPreview_IsNotChecked() =>
        PreviewBinding.Outcome(null, "anything").ShouldBeNull();
}
