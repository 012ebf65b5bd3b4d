using Warden.Domain.Agents;
using Warden.Domain.People;

namespace Warden.Tests.Domain.Agents;

public sealed class AgentActivationTests
{
    private static Agent PendingReview() =>
        Agent.Register(AgentId.New(Agents.Now), Agents.Profile(), Agents.Olivia, null, Agents.Now, pendingReview: true).Value;

    [Fact]
    public void Register_PendingReview_StartsPendingReview()
    {
        PendingReview().Status.ShouldBe(AgentStatus.PendingReview);
    }

    [Fact]
    public void Activate_ByAnOfficerWhoIsNotTheOwner_MakesItActive()
    {
        var agent = PendingReview();

        agent.Activate(new UserId("ophelia-officer"), Agents.Now).IsSuccess.ShouldBeTrue();

        agent.Status.ShouldBe(AgentStatus.Active);
    }

    [Fact]
    public void Activate_ByItsOwner_IsRefusedAndStaysPending()
    {
        var agent = PendingReview();

        agent.Activate(Agents.Olivia.Id, Agents.Now).Error.ShouldBe(AgentErrors.OwnerCannotActivate);

        agent.Status.ShouldBe(AgentStatus.PendingReview);
    }

    [Fact]
    public void Activate_AnActiveAgent_IsRefused()
    {
        Agents.Active().Activate(new UserId("ophelia-officer"), Agents.Now).Error.Code.ShouldBe("agent.not_pending_review");
    }

    [Fact]
    public void ReleaseContainment_OfAPendingAgent_ReturnsItToPendingReview()
    {
        var agent = PendingReview();
        agent.Contain("drill", Agents.Now).IsSuccess.ShouldBeTrue();

        agent.ReleaseContainment("drill over", Agents.Now).IsSuccess.ShouldBeTrue();

        agent.Status.ShouldBe(AgentStatus.PendingReview);
    }
}
