using Warden.Domain.Agents;
using static Warden.Tests.Domain.Agents.Agents;

namespace Warden.Tests.Domain.Agents;

public sealed class AgentTests
{
    [Fact]
    public void Register_WithValidProfile_IsActiveAtLevelZeroAndAttestedNow()
    {
        var result = Agent.Register(AgentId.New(Now), Profile(), Olivia, Oscar, Now);

        result.IsSuccess.ShouldBeTrue();
        result.Value.Status.ShouldBe(AgentStatus.Active);
        result.Value.AutonomyLevel.ShouldBe(0);
        result.Value.LastAttestedAt.ShouldBe(Now);
        result.Value.HighestRisk.ShouldBe(RiskTier.Medium);
        result.Value.BackupOwnerId.ShouldBe(Oscar.Id);
    }

    [Fact]
    public void Register_WhenBackupIsTheOwner_IsRefused()
    {
        var result = Agent.Register(AgentId.New(Now), Profile(), Olivia, Olivia, Now);

        result.Error.ShouldBe(AgentErrors.BackupIsOwner);
    }

    [Theory]
    [InlineData("dora-disabled")]
    [InlineData("quinn-no-role")]
    public void Register_WhenOwnerIsNotAnActiveAgentOwner_IsRefused(string person)
    {
        var owner = person == Dora.Id.Value ? Dora : Quinn;

        var result = Agent.Register(AgentId.New(Now), Profile(), owner, null, Now);

        result.Error.Code.ShouldBe("agent.owner_not_eligible");
    }

    [Fact]
    public void Register_WhenBackupIsNotEligible_IsRefused()
    {
        var result = Agent.Register(AgentId.New(Now), Profile(), Olivia, Dora, Now);

        result.Error.Code.ShouldBe("agent.owner_not_eligible");
    }

    [Fact]
    public void Edit_WithInvalidProfile_IsRefusedAndLeavesTheAgentUntouched()
    {
        var agent = Active();
        var before = agent.Profile;

        var result = agent.Edit(Profile() with { RateLimitPerMinute = 0 }, Now.AddHours(1));

        result.Error.ShouldBe(AgentErrors.InvalidRateLimit);
        agent.Profile.ShouldBe(before);
        agent.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Edit_WithValidProfile_ReplacesItAndRecomputesHighestRisk()
    {
        var agent = Active();
        var riskier = Profile() with
        {
            Tools = [new ToolDeclaration("payments.send", [OperationKind.Execute], RiskTier.Critical)],
        };

        var result = agent.Edit(riskier, Now.AddHours(1));

        result.IsSuccess.ShouldBeTrue();
        agent.HighestRisk.ShouldBe(RiskTier.Critical);
        agent.Tools.Single().Name.ShouldBe("payments.send");
    }

    [Fact]
    public void Suspend_WithoutReason_IsRefused()
    {
        var agent = Active();

        var result = agent.Suspend("  ", Now);

        result.Error.ShouldBe(AgentErrors.ReasonRequired);
        agent.Status.ShouldBe(AgentStatus.Active);
    }

    [Fact]
    public void Resume_WhenSuspended_ReturnsToActive()
    {
        var agent = Suspended();

        var result = agent.Resume("cleared", Now);

        result.IsSuccess.ShouldBeTrue();
        agent.Status.ShouldBe(AgentStatus.Active);
        agent.StatusReason.ShouldBe("cleared");
    }

    [Fact]
    public void Resume_WhenActive_IsRefused()
    {
        var agent = Active();

        var result = agent.Resume("why", Now);

        result.Error.Code.ShouldBe("agent.invalid_transition");
    }

    [Fact]
    public void Retire_IsTerminal_NothingChangesAfterwards()
    {
        var agent = Active();
        agent.Retire("replaced", Now).IsSuccess.ShouldBeTrue();

        agent.Resume("back", Now).Error.ShouldBe(AgentErrors.Retired);
        agent.Suspend("again", Now).Error.ShouldBe(AgentErrors.Retired);
        agent.Edit(Profile("New name"), Now).Error.ShouldBe(AgentErrors.Retired);
        agent.Attest(Olivia.Id, Now).Error.ShouldBe(AgentErrors.Retired);
        agent.Contain("incident", Now).IsFailure.ShouldBeTrue();
        agent.Status.ShouldBe(AgentStatus.Retired);
        agent.Name.ShouldBe("Invoice clerk");
    }

    [Fact]
    public void Contain_ThenRelease_ReturnsToTheStatusBefore()
    {
        var agent = Suspended();

        agent.Contain("incident", Now).IsSuccess.ShouldBeTrue();
        agent.Resume("try", Now).Error.ShouldBe(AgentErrors.ContainedOnlyByContainment);
        agent.Retire("try", Now).Error.ShouldBe(AgentErrors.ContainedOnlyByContainment);
        agent.ReleaseContainment("cleared", Now).IsSuccess.ShouldBeTrue();

        agent.Status.ShouldBe(AgentStatus.Suspended);
    }

    [Fact]
    public void Attest_ByAnyoneButTheOwner_IsRefused()
    {
        var agent = Active(backup: Oscar);

        var result = agent.Attest(Oscar.Id, Now.AddDays(10));

        result.Error.ShouldBe(AgentErrors.NotOwner);
        agent.LastAttestedAt.ShouldBe(Now);
    }

    [Fact]
    public void IsAttestationOverdue_AfterThePeriod_IsTrueAndAttestingClearsIt()
    {
        var agent = Active();
        var period = TimeSpan.FromDays(90);

        agent.IsAttestationOverdue(period, Now.AddDays(91)).ShouldBeTrue();
        agent.Attest(Olivia.Id, Now.AddDays(91)).IsSuccess.ShouldBeTrue();

        agent.IsAttestationOverdue(period, Now.AddDays(92)).ShouldBeFalse();
        agent.AttestationDueAt(period).ShouldBe(Now.AddDays(181));
    }

    [Fact]
    public void OfferOwnership_ThenAccept_MovesOwnershipToTheAcceptingPerson()
    {
        var agent = Active();

        agent.OfferOwnership(Olivia.Id, Oscar, Now).IsSuccess.ShouldBeTrue();
        agent.OwnerId.ShouldBe(Olivia.Id);
        var accepted = agent.AcceptOwnership(Oscar, Now.AddHours(1));

        accepted.IsSuccess.ShouldBeTrue();
        agent.OwnerId.ShouldBe(Oscar.Id);
        agent.PendingOwnerId.ShouldBeNull();
    }

    [Fact]
    public void OfferOwnership_ByNonOwner_IsRefused()
    {
        var agent = Active();

        var result = agent.OfferOwnership(Oscar.Id, Oscar, Now);

        result.Error.ShouldBe(AgentErrors.NotOwner);
        agent.PendingOwnerId.ShouldBeNull();
    }

    [Fact]
    public void OfferOwnership_ToIneligiblePerson_IsRefused()
    {
        var agent = Active();

        var result = agent.OfferOwnership(Olivia.Id, Quinn, Now);

        result.Error.Code.ShouldBe("agent.owner_not_eligible");
        agent.PendingOwnerId.ShouldBeNull();
    }

    [Fact]
    public void AcceptOwnership_BySomeoneNotOffered_IsRefused()
    {
        var agent = Active();
        agent.OfferOwnership(Olivia.Id, Oscar, Now).IsSuccess.ShouldBeTrue();

        var result = agent.AcceptOwnership(Olivia, Now);

        result.Error.ShouldBe(AgentErrors.NoTransferPending);
        agent.OwnerId.ShouldBe(Olivia.Id);
    }

    [Fact]
    public void AssignOwner_WhenNewOwnerWasBackup_ClearsTheBackupAndOrphanFlag()
    {
        var agent = Active(backup: Oscar);
        agent.MarkOrphaned(Now).ShouldBeTrue();

        var result = agent.AssignOwner(Oscar, Now);

        result.IsSuccess.ShouldBeTrue();
        agent.OwnerId.ShouldBe(Oscar.Id);
        agent.BackupOwnerId.ShouldBeNull();
        agent.OrphanedSince.ShouldBeNull();
    }

    [Fact]
    public void MarkOrphaned_IsIdempotent_AndOfferToBackupProposesTheBackup()
    {
        var agent = Active(backup: Oscar);

        agent.MarkOrphaned(Now).ShouldBeTrue();
        agent.MarkOrphaned(Now.AddDays(1)).ShouldBeFalse();
        agent.OfferToBackup(Now).ShouldBeTrue();

        agent.OrphanedSince.ShouldBe(Now);
        agent.PendingOwnerId.ShouldBe(Oscar.Id);
    }

    [Fact]
    public void ChangeBackupOwner_ToTheOwner_IsRefused()
    {
        var agent = Active(backup: Oscar);

        var result = agent.ChangeBackupOwner(Olivia, Now);

        result.Error.ShouldBe(AgentErrors.BackupIsOwner);
        agent.BackupOwnerId.ShouldBe(Oscar.Id);
    }
}
