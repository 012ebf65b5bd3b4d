using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Tests.Domain.Agents;

public sealed class AgentChangeRequestTests
{
    private static readonly UserId Owner = Agents.Olivia.Id;
    private static readonly UserId Officer = new("ophelia-officer");

    private static AgentChangeRequest Pending(UserId? requestedBy = null) =>
        AgentChangeRequest.Open(AgentId.New(Agents.Now), requestedBy ?? Owner, "{}", "{}", 5, 5, "[]", Agents.Now);

    [Fact]
    public void Approve_ByAnotherOfficer_ApprovesIt()
    {
        var request = Pending();

        var result = request.Approve(Officer, Owner, Agents.Now);

        result.IsSuccess.ShouldBeTrue();
        request.State.ShouldBe(ChangeRequestState.Approved);
        request.DecidedBy.ShouldBe(Officer);
    }

    [Fact]
    public void Approve_WhenTheOfficerOwnsTheAgent_IsRefusedAndStaysPending()
    {
        var request = Pending();

        var result = request.Approve(Owner, Owner, Agents.Now);

        result.Error.ShouldBe(AgentChangeRequestErrors.OwnChange);
        request.State.ShouldBe(ChangeRequestState.Pending);
    }

    [Fact]
    public void Approve_WhenTheOfficerAskedForTheChange_IsRefused()
    {
        var request = Pending(requestedBy: Officer);

        request.Approve(Officer, Owner, Agents.Now).Error.ShouldBe(AgentChangeRequestErrors.OwnChange);
    }

    [Fact]
    public void Approve_WhenAlreadyDecided_IsRefused()
    {
        var request = Pending();
        request.Reject(Officer, Owner, "too broad", Agents.Now).IsSuccess.ShouldBeTrue();

        request.Approve(new UserId("other-officer"), Owner, Agents.Now).Error.Code.ShouldBe("agent_change.not_pending");
        request.State.ShouldBe(ChangeRequestState.Rejected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Reject_WithoutAReason_IsRefused(string reason)
    {
        var request = Pending();

        request.Reject(Officer, Owner, reason, Agents.Now).Error.ShouldBe(AgentChangeRequestErrors.ReasonRequired);
        request.State.ShouldBe(ChangeRequestState.Pending);
    }

    [Fact]
    public void Reject_ByTheOwner_IsRefused()
    {
        Pending().Reject(Owner, Owner, "never mind", Agents.Now).Error.ShouldBe(AgentChangeRequestErrors.OwnChange);
    }

    [Fact]
    public void Supersede_APendingRequest_EndsIt()
    {
        var request = Pending();

        request.Supersede("the owner asked for another change", Agents.Now).IsSuccess.ShouldBeTrue();

        request.State.ShouldBe(ChangeRequestState.Superseded);
        request.Approve(Officer, Owner, Agents.Now).IsFailure.ShouldBeTrue();
    }
}
