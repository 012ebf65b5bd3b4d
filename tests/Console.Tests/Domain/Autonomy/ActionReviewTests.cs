using Warden.Domain.Autonomy;
using Warden.Domain.People;
using Warden.Tests.Domain.Agents;

namespace Warden.Tests.Domain.Autonomy;

/// <summary>The review of an action after it ran: pending, then accepted or rejected once, by someone entitled and uninvolved.</summary>
public sealed class ActionReviewTests
{
    private static readonly DateTimeOffset Now = Agents.Agents.Now;
    private static readonly ActionReviewer Owner = new(new UserId("olivia"), "Olivia", IsOfficer: false);
    private static readonly ActionReviewer Backup = new(new UserId("oscar"), "Oscar", IsOfficer: false);
    private static readonly ActionReviewer OtherOwner = new(new UserId("otto"), "Otto", IsOfficer: false);
    private static readonly ActionReviewer Officer = new(new UserId("sam"), "Sam", IsOfficer: true);
    private static readonly IReadOnlyCollection<UserId> Nobody = [];

    private static (ActionReview Review, Warden.Domain.Agents.Agent Agent) Opened()
    {
        var agent = Agents.Agents.Active(backup: Agents.Agents.Oscar);
        return (ActionReview.Open("dec_1", agent.Id, Now), agent);
    }

    [Fact]
    public void Open_StartsPendingWithNoReviewer()
    {
        var (review, _) = Opened();

        review.State.ShouldBe(ActionReviewState.Pending);
        review.ReviewedBy.ShouldBeNull();
        review.OpenedAt.ShouldBe(Now);
    }

    [Fact]
    public void Accept_ByTheOwnerWithoutANote_AcceptsAndRecordsWhoAndWhen()
    {
        var (review, agent) = Opened();

        var result = review.Accept(agent, Owner, Nobody, null, Now.AddMinutes(5));

        result.IsSuccess.ShouldBeTrue();
        review.State.ShouldBe(ActionReviewState.Accepted);
        review.ReviewedBy.ShouldBe(Owner.Id);
        review.ReviewedByName.ShouldBe("Olivia");
        review.ReviewedAt.ShouldBe(Now.AddMinutes(5));
        review.Note.ShouldBeNull();
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("officer")]
    public void Reject_ByTheBackupOwnerOrAnOfficer_RejectsWithTheNote(string who)
    {
        var (review, agent) = Opened();
        var reviewer = who == "backup" ? Backup : Officer;

        var result = review.Reject(agent, reviewer, Nobody, "  Closed the wrong ticket.  ", Now);

        result.IsSuccess.ShouldBeTrue();
        review.State.ShouldBe(ActionReviewState.Rejected);
        review.Note.ShouldBe("Closed the wrong ticket.");
    }

    [Fact]
    public void Reject_WithoutANote_IsRefusedAndStaysPending()
    {
        var (review, agent) = Opened();

        var result = review.Reject(agent, Owner, Nobody, "   ", Now);

        result.Error.ShouldBe(ActionReviewErrors.NoteRequired);
        review.State.ShouldBe(ActionReviewState.Pending);
        review.ReviewedBy.ShouldBeNull();
    }

    [Fact]
    public void Accept_ByAnOwnerOfAnotherAgent_IsRefusedAndStaysPending()
    {
        var (review, agent) = Opened();

        var result = review.Accept(agent, OtherOwner, Nobody, null, Now);

        result.Error.ShouldBe(ActionReviewErrors.NotEligible);
        review.State.ShouldBe(ActionReviewState.Pending);
    }

    [Fact]
    public void Reject_BySomeoneWhoApprovedTheAction_IsRefusedAndStaysPending()
    {
        var (review, agent) = Opened();

        var result = review.Reject(agent, Officer, [Officer.Id], "Should not have run.", Now);

        result.Error.ShouldBe(ActionReviewErrors.OwnAction);
        review.State.ShouldBe(ActionReviewState.Pending);
    }

    [Fact]
    public void Accept_WhenAlreadyRejected_IsRefusedAndKeepsTheFirstVerdict()
    {
        var (review, agent) = Opened();
        review.Reject(agent, Owner, Nobody, "Wrong customer.", Now).IsSuccess.ShouldBeTrue();

        var result = review.Accept(agent, Officer, Nobody, "Fine by me.", Now.AddMinutes(1));

        result.Error.Code.ShouldBe("action_review.already_reviewed");
        result.Error.Message.ShouldContain("Olivia has already rejected");
        review.State.ShouldBe(ActionReviewState.Rejected);
        review.ReviewedBy.ShouldBe(Owner.Id);
        review.Note.ShouldBe("Wrong customer.");
    }

    [Fact]
    public void Reject_WithANoteOverTheLimit_IsRefusedAndStaysPending()
    {
        var (review, agent) = Opened();

        var result = review.Reject(agent, Owner, Nobody, new string('x', ActionReview.MaxNoteLength + 1), Now);

        result.Error.ShouldBe(ActionReviewErrors.NoteTooLong);
        review.State.ShouldBe(ActionReviewState.Pending);
    }

    [Fact]
    public void Accept_AgainstAnotherAgent_IsRefusedAsNotFound()
    {
        var (review, _) = Opened();
        var other = Agents.Agents.Active();

        var result = review.Accept(other, Officer, Nobody, null, Now);

        result.Error.ShouldBe(ActionReviewErrors.NotFound);
        review.State.ShouldBe(ActionReviewState.Pending);
    }
}
