using Warden.Domain.Agents;
using Warden.Domain.Autonomy;
using Warden.Domain.People;
using static Warden.Tests.Domain.Agents.Agents;

namespace Warden.Tests.Domain.Autonomy;

public sealed class PromotionRequestTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private static readonly CriterionResult Met = new("decisions", "Decisions", "120", "≥ 100", true, null);
    private static readonly CriterionResult Unmet = new("decisions", "Decisions", "80", "≥ 100", false, "20 more decisions");

    private static PromotionDecider Officer(string id, string email, string? ownerEmail = "olivia@warden.example", string? backupEmail = null, params string[] roles) =>
        new(new UserId(id), email, id, new HashSet<string>(roles.Length == 0 ? [Roles.SecurityOfficer] : roles), ownerEmail, backupEmail);

    private static PromotionDecider Otto => Officer("otto", "otto@warden.example");

    private static (Agent Agent, PromotionRequest Request) Submitted(CriterionResult? criterion = null, string? justification = null)
    {
        var agent = Active();
        var request = PromotionRequest.Submit("prm_1", agent, Olivia.Id, "Olivia", [criterion ?? Met], justification, Now, Lifetime);
        request.IsSuccess.ShouldBeTrue(request.Error.ToString());
        return (agent, request.Value);
    }

    [Fact]
    public void Submit_ByTheOwnerWithCriteriaMet_OpensOneLevelUp()
    {
        var (_, request) = Submitted();

        request.State.ShouldBe(PromotionState.Open);
        request.FromLevel.ShouldBe(0);
        request.ToLevel.ShouldBe(1);
        request.CriteriaMet.ShouldBeTrue();
        request.ExpiresAt.ShouldBe(Now + Lifetime);
    }

    [Fact]
    public void Submit_WithUnmetCriteriaAndNoJustification_IsRefused()
    {
        var result = PromotionRequest.Submit("prm_1", Active(), Olivia.Id, "Olivia", [Unmet], "  ", Now, Lifetime);

        result.Error.ShouldBe(PromotionErrors.JustificationRequired);
    }

    [Fact]
    public void Submit_WithUnmetCriteriaAndAJustification_IsMarkedAsNotMet()
    {
        var (_, request) = Submitted(Unmet, "pilot with the finance team; they watch every change");

        request.CriteriaMet.ShouldBeFalse();
        request.Justification.ShouldBe("pilot with the finance team; they watch every change");
        request.Criteria.ShouldHaveSingleItem().Missing.ShouldBe("20 more decisions");
    }

    [Fact]
    public void Submit_BySomeoneOtherThanTheOwner_IsRefused()
    {
        var result = PromotionRequest.Submit("prm_1", Active(), Oscar.Id, "Oscar", [Met], null, Now, Lifetime);

        result.Error.ShouldBe(PromotionErrors.NotOwner);
    }

    [Fact]
    public void Submit_AtTheTopLevel_IsRefused()
    {
        var agent = Active();
        agent.ChangeAutonomyLevel(3, Now).IsSuccess.ShouldBeTrue();

        var result = PromotionRequest.Submit("prm_1", agent, Olivia.Id, "Olivia", [Met], null, Now, Lifetime);

        result.Error.ShouldBe(PromotionErrors.AtTopLevel);
    }

    [Fact]
    public void Approve_ByAnotherOfficer_RaisesTheAgentOneLevel()
    {
        var (agent, request) = Submitted();

        var result = request.Approve(Otto, "track record checked", agent, Now.AddHours(1));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        request.State.ShouldBe(PromotionState.Approved);
        request.DecidedByName.ShouldBe("otto");
        agent.AutonomyLevel.ShouldBe(1);
    }

    [Fact]
    public void Approve_ByTheOwnerWhoIsAlsoAnOfficer_IsRefusedAndChangesNothing()
    {
        var (agent, request) = Submitted();
        var owner = Officer("olivia", "olivia@warden.example", roles: [Roles.SecurityOfficer, Roles.AgentOwner]);

        var result = request.Approve(owner, "fine by me", agent, Now.AddHours(1));

        result.Error.ShouldBe(PromotionErrors.OwnerCannotDecide);
        request.State.ShouldBe(PromotionState.Open);
        agent.AutonomyLevel.ShouldBe(0);
    }

    [Fact]
    public void Approve_FromAnotherAccountOfTheOwnersMailbox_IsRefused()
    {
        var (agent, request) = Submitted();
        var alias = Officer("olivia-ops", "Olivia+ops@warden.example");

        request.Approve(alias, "fine", agent, Now.AddHours(1)).Error.ShouldBe(PromotionErrors.OwnerCannotDecide);
        agent.AutonomyLevel.ShouldBe(0);
    }

    [Fact]
    public void Approve_ByTheBackupOwner_IsRefused()
    {
        var (agent, request) = Submitted();
        var backup = Officer("oscar", "oscar@warden.example", backupEmail: "oscar@warden.example");

        request.Approve(backup, "fine", agent, Now.AddHours(1)).Error.ShouldBe(PromotionErrors.BackupOwnerCannotDecide);
    }

    [Fact]
    public void Approve_ByAnAuditor_IsRefused()
    {
        var (agent, request) = Submitted();
        var auditor = Officer("ada", "ada@warden.example", roles: Roles.Auditor);

        request.Approve(auditor, "fine", agent, Now.AddHours(1)).Error.ShouldBe(PromotionErrors.NotOfficer);
        request.State.ShouldBe(PromotionState.Open);
        agent.AutonomyLevel.ShouldBe(0);
    }

    [Fact]
    public void Approve_WithoutAReason_IsRefused()
    {
        var (agent, request) = Submitted();

        request.Approve(Otto, " ", agent, Now.AddHours(1)).Error.ShouldBe(PromotionErrors.ReasonRequired);
    }

    [Fact]
    public void Approve_AtTheDeadline_IsRefusedAsExpired()
    {
        var (agent, request) = Submitted();

        request.Approve(Otto, "late", agent, Now + Lifetime).Error.ShouldBe(PromotionErrors.Expired);
        agent.AutonomyLevel.ShouldBe(0);
    }

    [Fact]
    public void Approve_AfterTheAgentWasDemotedOrPromotedMeanwhile_IsRefused()
    {
        var (agent, request) = Submitted();
        agent.ChangeAutonomyLevel(2, Now).IsSuccess.ShouldBeTrue();

        request.Approve(Otto, "ok", agent, Now.AddHours(1)).Error.ShouldBe(PromotionErrors.LevelChanged);
        agent.AutonomyLevel.ShouldBe(2);
    }

    [Fact]
    public void Reject_AfterApproval_IsRefusedAsAlreadyDecided()
    {
        var (agent, request) = Submitted();
        request.Approve(Otto, "ok", agent, Now.AddHours(1)).IsSuccess.ShouldBeTrue();

        var result = request.Reject(Officer("oona", "oona@warden.example"), "no", Now.AddHours(2));

        result.Error.Code.ShouldBe("promotion.already_decided");
        request.State.ShouldBe(PromotionState.Approved);
    }

    [Fact]
    public void ExpireIfDue_BeforeAndAtTheDeadline_ExpiresOnlyAtIt()
    {
        var (_, request) = Submitted();

        request.ExpireIfDue(Now + Lifetime - TimeSpan.FromSeconds(1)).ShouldBeFalse();
        request.ExpireIfDue(Now + Lifetime).ShouldBeTrue();
        request.State.ShouldBe(PromotionState.Expired);
    }

    [Fact]
    public void ChangeAutonomyLevel_ToTheSameOrAnUnknownLevel_IsRefused()
    {
        var agent = Active();

        agent.ChangeAutonomyLevel(0, Now).Error.Code.ShouldBe("agent.same_autonomy_level");
        agent.ChangeAutonomyLevel(4, Now).Error.Code.ShouldBe("agent.invalid_autonomy_level");
        agent.AutonomyLevel.ShouldBe(0);
    }
}
