using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.People;

namespace Warden.Tests.Domain.Approvals;

public sealed class ApprovalRequestTests
{
    private static readonly DateTimeOffset Opened = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly UserId Owner = new("owner-1");
    private static readonly UserId Backup = new("backup-1");

    private static readonly Voter Olivia = Officer("olivia-1", "olivia@warden.example", "Olivia");
    private static readonly Voter Oscar = Officer("oscar-1", "oscar@warden.example", "Oscar");
    private static readonly Voter Otto = Officer("otto-1", "otto@warden.example", "Otto");

    private static Voter Officer(string id, string email, string name, params string[] more) =>
        new(new UserId(id), email, name, new HashSet<string>([Roles.SecurityOfficer, .. more]), IsActive: true);

    private static ApprovalRequest Open(int required = 1, RiskTier risk = RiskTier.High, TimeSpan? expiry = null) =>
        ApprovalRequest.Open("dec_01M8A741YYNTAAJR8HBVPDQW7J", "agt_demo_payments", Owner, Backup, required, risk, "rule-1",
                             Opened, Opened + (expiry ?? TimeSpan.FromMinutes(15)));

    private static ApprovalRequest OpenFor(IReadOnlyList<string> eligibleRoles) =>
        ApprovalRequest.Open("dec_01M8A741YYNTAAJR8HBVPDQW7K", "agt_demo_payments", Owner, Backup, 1, RiskTier.High, "rule-1",
                             Opened, Opened.AddMinutes(15), eligibleRoles);

    private static DateTimeOffset At(int seconds) => Opened.AddSeconds(seconds);

    [Fact]
    public void Open_IsPendingWithTheRequestIdOfItsDecision()
    {
        var request = Open();

        request.Id.ShouldBe("apr_01M8A741YYNTAAJR8HBVPDQW7J");
        request.State.ShouldBe(ApprovalState.Pending);
        request.EligibleRoles.ShouldBe([Roles.SecurityOfficer]);
        request.Votes.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1, RiskTier.High, 1)]
    [InlineData(2, RiskTier.Medium, 2)]
    [InlineData(1, RiskTier.Critical, 2)]
    [InlineData(0, RiskTier.Low, 1)]
    [InlineData(5, RiskTier.Low, 2)]
    public void Open_RequiresTheRulesApproversAndAlwaysTwoForCritical(int requested, RiskTier risk, int expected) =>
        Open(requested, risk).RequiredApprovals.ShouldBe(expected);

    [Fact]
    public void Open_RefusesADeadlineBeforeItOpens() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Open(expiry: TimeSpan.Zero));

    [Fact]
    public void OneApproval_ApprovesWhenOneIsRequired()
    {
        var request = Open();

        var result = request.Vote(Olivia, Verdict.Approve, "checked the invoice", At(30));

        result.Value.ShouldBe(ApprovalState.Approved);
        request.ResolvedAt.ShouldBe(At(30));
        request.Votes.Single().VoterName.ShouldBe("Olivia");
    }

    [Fact]
    public void DualControl_StaysPendingAfterTheFirstApprovalAndApprovesOnTheSecond()
    {
        var request = Open(risk: RiskTier.Critical);

        request.Vote(Olivia, Verdict.Approve, "ok", At(30)).Value.ShouldBe(ApprovalState.Pending);
        request.Vote(Oscar, Verdict.Approve, "ok too", At(60)).Value.ShouldBe(ApprovalState.Approved);
        request.Approvals.ShouldBe(2);
    }

    [Fact]
    public void AnyDeny_EndsTheRequestAsDeniedEvenAfterAnApproval()
    {
        var request = Open(required: 2);
        request.Vote(Olivia, Verdict.Approve, "ok", At(30));

        request.Vote(Oscar, Verdict.Deny, "supplier not on file", At(40)).Value.ShouldBe(ApprovalState.Denied);

        request.ResolutionReason.ShouldBe("supplier not on file");
    }

    [Fact]
    public void OnePersonOneVote_TheSameOfficerCannotApproveTwice()
    {
        var request = Open(required: 2);
        request.Vote(Olivia, Verdict.Approve, "ok", At(30));

        var second = request.Vote(Olivia, Verdict.Approve, "again", At(31));

        second.Error.ShouldBe(ApprovalErrors.AlreadyVoted);
        request.State.ShouldBe(ApprovalState.Pending);
        request.Votes.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("OLIVIA@warden.example")]
    [InlineData("olivia+second@warden.example")]
    [InlineData(" Olivia+ops@Warden.Example ")]
    public void OnePersonOneVote_AnotherAccountWithTheSameMailboxCannotVoteAgain(string email)
    {
        var request = Open(required: 2);
        request.Vote(Olivia, Verdict.Approve, "ok", At(30));
        var sameHuman = Officer("olivia-2", email, "Olivia (second account)");

        var second = request.Vote(sameHuman, Verdict.Approve, "ok", At(31));

        second.Error.Code.ShouldBe("approval.same_person");
        second.Error.Message.ShouldContain("Olivia");
        request.State.ShouldBe(ApprovalState.Pending);
    }

    [Fact]
    public void TheAgentsOwnerCannotVoteEvenAsAnOfficer()
    {
        var request = Open();
        var owner = Officer(Owner.Value, "owner@warden.example", "Owen", Roles.AgentOwner);

        request.Vote(owner, Verdict.Approve, "mine", At(5)).Error.ShouldBe(ApprovalErrors.OwnerCannotVote);
        request.Vote(owner, Verdict.Deny, "mine", At(5)).Error.ShouldBe(ApprovalErrors.OwnerCannotVote);
        request.Votes.ShouldBeEmpty();
    }

    [Fact]
    public void TheBackupOwnerCannotVote()
    {
        var request = Open();
        var backup = Officer(Backup.Value, "backup@warden.example", "Bea");

        request.Vote(backup, Verdict.Approve, "covering", At(5)).Error.ShouldBe(ApprovalErrors.BackupOwnerCannotVote);
    }

    [Theory]
    [InlineData(Roles.AgentOwner)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Administrator)]
    public void OnlyTheEligibleRoleVotes(string role)
    {
        var request = Open();
        var outsider = new Voter(new UserId("x-1"), "x@warden.example", "X", new HashSet<string>([role]), IsActive: true);

        request.Vote(outsider, Verdict.Approve, "looks fine", At(5)).Error.Code.ShouldBe("approval.not_eligible");
    }

    [Fact]
    public void Vote_ByAnOfficerWithoutTheRoleTheRuleNames_IsRefusedSayingWhoMayDecide()
    {
        var request = OpenFor([Roles.Administrator]);

        var result = request.Vote(Olivia, Verdict.Approve, "looks fine", At(5));

        result.Error.Code.ShouldBe("approval.not_eligible");
        result.Error.Message.ShouldBe("Only security officers who are also administrators decide this request, and you are not one of them.");
        request.Votes.ShouldBeEmpty();
        request.State.ShouldBe(ApprovalState.Pending);
    }

    [Fact]
    public void Vote_ByAnOfficerWhoAlsoHoldsANamedRole_Counts()
    {
        var request = OpenFor([Roles.Administrator, Roles.AgentOwner]);
        var adminOfficer = Officer("ada-1", "ada@warden.example", "Ada", Roles.Administrator);

        var result = request.Vote(adminOfficer, Verdict.Approve, "change window agreed", At(5));

        result.Value.ShouldBe(ApprovalState.Approved);
        request.WhoMayDecide().ShouldBe("security officers who are also administrators or agent owners");
    }

    [Fact]
    public void Vote_ByAnAdministratorWhoIsNoOfficer_IsRefusedEvenWhenTheRuleNamesAdministrators()
    {
        var request = OpenFor([Roles.Administrator]);
        var admin = new Voter(new UserId("adm-1"), "adm@warden.example", "Adam", new HashSet<string>([Roles.Administrator]), IsActive: true);

        request.Vote(admin, Verdict.Approve, "ok", At(5)).Error.Code.ShouldBe("approval.not_eligible");
        request.Votes.ShouldBeEmpty();
    }

    [Fact]
    public void Open_WithoutEligibleRoles_LetsSecurityOfficersDecide()
    {
        var request = Open();

        request.WhoMayDecide().ShouldBe("security officers");
        request.MayDecide(Olivia).ShouldBeTrue();
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData("Janitor")]
    public void Open_NamingARoleThatCannotDecide_Throws(string role) =>
        Should.Throw<ArgumentException>(() => OpenFor([role]));

    [Fact]
    public void ADisabledOfficerCannotVote()
    {
        var request = Open();

        request.Vote(Olivia with { IsActive = false }, Verdict.Approve, "ok", At(5)).Error.ShouldBe(ApprovalErrors.VoterDisabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AReasonIsRequired(string? reason) =>
        Open().Vote(Olivia, Verdict.Approve, reason, At(5)).Error.ShouldBe(ApprovalErrors.ReasonRequired);

    [Fact]
    public void AReasonHasABound() =>
        Open().Vote(Olivia, Verdict.Deny, new string('x', ApprovalRequest.MaxReasonLength + 1), At(5)).Error.ShouldBe(ApprovalErrors.ReasonTooLong);

    [Fact]
    public void AfterApproval_NothingMoreCounts_AndTheLoserIsToldWhoApproved()
    {
        var request = Open(required: 2);
        request.Vote(Olivia, Verdict.Approve, "ok", At(10));
        request.Vote(Oscar, Verdict.Approve, "ok", At(20));

        var late = request.Vote(Otto, Verdict.Deny, "wait", At(30));

        late.Error.Code.ShouldBe(ApprovalErrors.AlreadyDecidedCode);
        late.Error.Message.ShouldBe("Already approved by Olivia and Oscar.");
        request.State.ShouldBe(ApprovalState.Approved);
        request.Votes.Count.ShouldBe(2);
    }

    [Fact]
    public void AfterDenial_AnApprovalIsRefusedWithTheDenial()
    {
        var request = Open();
        request.Vote(Olivia, Verdict.Deny, "wrong account", At(10));

        var late = request.Vote(Oscar, Verdict.Approve, "ok", At(20));

        late.Error.Message.ShouldBe("Already denied by Olivia: wrong account");
        request.State.ShouldBe(ApprovalState.Denied);
    }

    [Fact]
    public void AtTheDeadline_AVoteIsRefusedAndTheRequestExpires()
    {
        var request = Open(expiry: TimeSpan.FromMinutes(15));
        var deadline = Opened.AddMinutes(15);

        request.Vote(Olivia, Verdict.Approve, "ok", deadline).Error.Code.ShouldBe(ApprovalErrors.AlreadyDecidedCode);
        request.ExpireIfDue(deadline).ShouldBeTrue();

        request.State.ShouldBe(ApprovalState.Expired);
        request.Vote(Olivia, Verdict.Approve, "ok", deadline.AddSeconds(1)).Error.Message.ShouldContain("expired");
        request.Votes.ShouldBeEmpty();
    }

    [Fact]
    public void ExpireIfDue_DoesNothingBeforeTheDeadlineOrAfterAFinalState()
    {
        var request = Open();
        request.ExpireIfDue(Opened.AddMinutes(14)).ShouldBeFalse();
        request.Vote(Olivia, Verdict.Approve, "ok", At(10));

        request.ExpireIfDue(Opened.AddHours(1)).ShouldBeFalse();
        request.State.ShouldBe(ApprovalState.Approved);
    }

    [Fact]
    public void ExpiryAfterOneOfTwoApprovals_IsStillExpiry()
    {
        var request = Open(required: 2);
        request.Vote(Olivia, Verdict.Approve, "ok", At(10));

        request.ExpireIfDue(Opened.AddMinutes(16)).ShouldBeTrue();
        request.State.ShouldBe(ApprovalState.Expired);
    }

    [Fact]
    public void Cancel_EndsAPendingRequestOnly()
    {
        var request = Open();
        request.Cancel("agent contained", At(5)).IsSuccess.ShouldBeTrue();
        request.State.ShouldBe(ApprovalState.Cancelled);
        request.Vote(Olivia, Verdict.Approve, "ok", At(6)).Error.Message.ShouldBe("This request was cancelled: agent contained");

        var approved = Open();
        approved.Vote(Olivia, Verdict.Approve, "ok", At(5));
        approved.Cancel("agent contained", At(6)).Error.ShouldBe(ApprovalErrors.NotPending);
        approved.State.ShouldBe(ApprovalState.Approved);
    }

    [Fact]
    public void Escalation_HappensOnceAfterTheWaitAndNeverForFinishedRequests()
    {
        var request = Open();
        var after = TimeSpan.FromMinutes(5);

        request.EscalateIfDue(after, Opened.AddMinutes(4)).ShouldBeFalse();
        request.EscalateIfDue(after, Opened.AddMinutes(5)).ShouldBeTrue();
        request.EscalatedAt.ShouldBe(Opened.AddMinutes(5));
        request.EscalateIfDue(after, Opened.AddMinutes(6)).ShouldBeFalse();

        var denied = Open();
        denied.Vote(Olivia, Verdict.Deny, "no", At(5));
        denied.EscalateIfDue(after, Opened.AddMinutes(10)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Jane@Example.com", "jane@example.com")]
    [InlineData("jane+ops@example.com", "jane@example.com")]
    [InlineData("  jane+a+b@example.com ", "jane@example.com")]
    [InlineData("+jane@example.com", "+jane@example.com")]
    public void Mailbox_FoldsCaseAndDropsPlusTags(string email, string mailbox) =>
        Voter.Mailbox(email).ShouldBe(mailbox);
}
