using Warden.Domain.People;
using Warden.Domain.Rollback;

namespace Warden.Tests.Domain.Rollback;

public sealed class RollbackRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);
    private static readonly UserId Olivia = new("olivia");
    private static readonly UserId Oscar = new("oscar");
    private static readonly RollbackAnswer Ok = new("ok", 200, "{\"undone\":true}", "The tool answered 200.");
    private static readonly RollbackAnswer Down = new("unreachable", null, null, "Connection refused.");

    private static RollbackRequest Requested() =>
        RollbackRequest.Request("rbk_1", "dec_1", "agt_1", "crm.update", RollbackRoute.Webhook, Olivia, "Olivia", Now);

    private static RollbackRequest Running()
    {
        var rollback = Requested();
        rollback.Start(Now, Stale).IsSuccess.ShouldBeTrue();
        return rollback;
    }

    [Fact]
    public void MayAsk_OfficerForAnyAgent_OwnerOnlyForTheirOwn_OthersNever()
    {
        RollbackRequest.MayAsk(new HashSet<string>([Roles.SecurityOfficer]), ownsTheAgent: false).IsSuccess.ShouldBeTrue();
        RollbackRequest.MayAsk(new HashSet<string>([Roles.AgentOwner]), ownsTheAgent: true).IsSuccess.ShouldBeTrue();
        RollbackRequest.MayAsk(new HashSet<string>([Roles.AgentOwner]), ownsTheAgent: false).Error.ShouldBe(RollbackErrors.OwnAgentsOnly);
        RollbackRequest.MayAsk(new HashSet<string>([Roles.Auditor, Roles.Administrator]), ownsTheAgent: true).Error.ShouldBe(RollbackErrors.OwnAgentsOnly);
    }

    [Theory]
    [InlineData("succeeded", null)]
    [InlineData("rolled_back", "rollback.already_rolled_back")]
    [InlineData("failed", "rollback.nothing_ran")]
    [InlineData(null, "rollback.nothing_ran")]
    public void CanUndo_OnlyAnActionReportedSucceeded(string? outcome, string? refusal)
    {
        var result = RollbackRequest.CanUndo("dec_1", outcome);

        (result.IsSuccess ? null : result.Error.Code).ShouldBe(refusal);
    }

    [Fact]
    public void Start_FromRequested_RunsTheFirstAttempt()
    {
        var rollback = Requested();

        var started = rollback.Start(Now, Stale);

        started.IsSuccess.ShouldBeTrue();
        rollback.State.ShouldBe(RollbackState.Running);
        rollback.Attempts.ShouldBe(1);
    }

    [Fact]
    public void Start_WhileRunning_IsRefusedAndCallsNothingMore()
    {
        var rollback = Running();

        var again = rollback.Start(Now.AddSeconds(5), Stale);

        again.Error.Code.ShouldBe("rollback.in_progress");
        rollback.Attempts.ShouldBe(1);
        rollback.State.ShouldBe(RollbackState.Running);
    }

    [Fact]
    public void AskAgain_AfterSuccess_IsRefusedAndLeavesItDone()
    {
        var rollback = Running();
        rollback.Succeed(Ok, Now).IsSuccess.ShouldBeTrue();

        var again = rollback.AskAgain(Oscar, "Oscar", RollbackRoute.Webhook, Now.AddMinutes(5), Stale);

        again.Error.Code.ShouldBe("rollback.already_succeeded");
        rollback.State.ShouldBe(RollbackState.Succeeded);
        rollback.RequestedBy.ShouldBe(Olivia);
        rollback.Start(Now.AddMinutes(5), Stale).Error.Code.ShouldBe("rollback.already_succeeded");
    }

    [Fact]
    public void AskAgain_AfterFailure_KeepsTheIdAndCountsASecondAttempt()
    {
        var rollback = Running();
        rollback.Fail(Down, Now).IsSuccess.ShouldBeTrue();

        var again = rollback.AskAgain(Oscar, "Oscar", RollbackRoute.Webhook, Now.AddSeconds(30), Stale);
        var started = rollback.Start(Now.AddSeconds(30), Stale);

        again.IsSuccess.ShouldBeTrue();
        started.IsSuccess.ShouldBeTrue();
        rollback.Id.ShouldBe("rbk_1");
        rollback.Attempts.ShouldBe(2);
        rollback.RequestedBy.ShouldBe(Oscar);
        rollback.State.ShouldBe(RollbackState.Running);
    }

    [Fact]
    public void AskAgain_WhenTheLastCallNeverAnsweredPastTheStaleBound_MayCallAgain()
    {
        var rollback = Running();

        var early = rollback.AskAgain(Oscar, "Oscar", RollbackRoute.Webhook, Now + Stale, Stale);
        var late = rollback.AskAgain(Oscar, "Oscar", RollbackRoute.Webhook, Now + Stale + TimeSpan.FromSeconds(1), Stale);

        early.Error.Code.ShouldBe("rollback.in_progress");
        late.IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Fail_KeepsTheAnswerAndIsNeverDone()
    {
        var rollback = Running();
        var answer = new RollbackAnswer("bad_status", 500, new string('x', 5000), "The tool answered 500.");

        rollback.Fail(answer, Now).IsSuccess.ShouldBeTrue();

        rollback.State.ShouldBe(RollbackState.Failed);
        rollback.IsDone.ShouldBeFalse();
        rollback.AnswerHttpStatus.ShouldBe(500);
        rollback.AnswerExcerpt!.Length.ShouldBe(RollbackRequest.MaxExcerptLength);
        rollback.AnswerDetail.ShouldBe("The tool answered 500.");
    }

    [Fact]
    public void Succeed_WhenNotRunning_IsRefusedAndLeavesItUntouched()
    {
        var rollback = Requested();

        var result = rollback.Succeed(Ok, Now);

        result.Error.Code.ShouldBe("rollback.not_running");
        rollback.State.ShouldBe(RollbackState.Requested);
        rollback.AnswerStatus.ShouldBeNull();
    }
}
