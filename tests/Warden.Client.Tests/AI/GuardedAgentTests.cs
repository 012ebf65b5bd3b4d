using Microsoft.Extensions.AI;
using Warden.Client.AI;
using Warden.Client.Tests.Support;
using Warden.Samples.GuardedAgent;

namespace Warden.Client.Tests.AI;

/// <summary>
/// The sample's Agent Framework agent, driven by its scripted model, against the real console: what
/// the tools really did is checked on the helpdesk, not only what the model was told.
/// </summary>
public sealed class GuardedAgentTests(WardenHost host)
{
    private const string LeakyTicket = "4242";
    private const string PersonalTicket = "5151";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly SupportDesk _desk = new(new Dictionary<string, string>
    {
        [LeakyTicket] = "\"Build fails, use key=AKIAIOSFODNN7EXAMPLE to deploy.\"",
        [PersonalTicket] = "\"Please write to olivia.hart@example.com about the refund.\"",
    });

    private readonly List<GuardedToolCall> _calls = [];

    private static string NewTicket() => Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> RunAsync(WardenClient warden, params ScriptedCall[] script)
    {
        var options = new WardenGuardOptions { PendingWait = TimeSpan.FromSeconds(30), OnCall = call => { lock (_calls) _calls.Add(call); } };
        var agent = GuardedSupportAgent.Create(new ScriptedChatClient(script), _desk, warden, options);
        var response = await agent.RunAsync("Please handle the ticket.", cancellationToken: Cancel);
        return response.Text;
    }

    private static ScriptedCall Read(string ticket) => new(GuardedSupportAgent.ReadTicket, new Dictionary<string, object?> { ["ticketId"] = ticket });

    private static ScriptedCall Reply(string ticket) =>
        new(GuardedSupportAgent.ReplyToTicket, new Dictionary<string, object?> { ["ticketId"] = ticket, ["body"] = "We fixed the address." });

    private static ScriptedCall Delete(string ticket) => new(GuardedSupportAgent.DeleteTicket, new Dictionary<string, object?> { ["ticketId"] = ticket });

    [Fact]
    public async Task AnAllowedRead_RunsTheToolReportsItsOutcomeAndReleasesItsOutput()
    {
        using var warden = host.ClientFor();
        var ticket = NewTicket();

        var told = await RunAsync(warden, Read(ticket));

        _desk.Reads.ShouldBe([ticket]);
        told.ShouldContain("My invoice shows the wrong address");
        var call = _calls.ShouldHaveSingleItem();
        call.Result.ShouldBe(GuardedCallResult.Ran);
        call.OutcomeReportError.ShouldBeNull();
        call.OutputReview.ShouldNotBeNull().Outcome.ShouldBe(WardenVerdict.Allow);
        (await host.DecisionStateAsync(call.Decision!.Id)).ShouldBe("completed");
    }

    [Fact]
    public async Task AReadWithPersonalData_ReachesTheModelMaskedAsWardenReleasedIt()
    {
        using var warden = host.ClientFor();

        var told = await RunAsync(warden, Read(PersonalTicket));

        told.ShouldNotContain("olivia.hart@example.com");
        told.ShouldContain("Please write to [email:");
        var review = _calls.ShouldHaveSingleItem().OutputReview.ShouldNotBeNull();
        review.Release.ShouldNotBeNull().Masked.ShouldBe([new WardenMaskedKind("pii.email", 1)]);
    }

    [Fact]
    public async Task ADeniedDelete_DoesNotRunAndTheModelIsToldWhy()
    {
        using var warden = host.ClientFor();
        var ticket = NewTicket();

        var told = await RunAsync(warden, Delete(ticket));

        _desk.Deleted.ShouldBeEmpty();
        told.ShouldContain("Warden denied tickets.delete");
        told.ShouldContain("tool_not_allowed");
        _calls.ShouldHaveSingleItem().Result.ShouldBe(GuardedCallResult.Denied);
    }

    [Fact]
    public async Task AHeldReply_WaitsForTheOfficerAndRunsOnceApproved()
    {
        using var warden = host.ClientFor();
        var ticket = NewTicket();

        var running = RunAsync(warden, Reply(ticket));
        var approval = await host.PendingApprovalAsync(WardenHost.Support, $"helpdesk/tickets/{ticket}", Cancel);
        _desk.Replies.ShouldBeEmpty();
        await host.ApproveAsync(approval);
        var told = await running;

        _desk.Replies.ShouldHaveSingleItem().TicketId.ShouldBe(ticket);
        told.ShouldContain($"Reply sent on ticket {ticket}");
        var call = _calls.ShouldHaveSingleItem();
        call.Result.ShouldBe(GuardedCallResult.Ran);
        call.Decision!.State.ShouldBe("approved");
        (await host.DecisionStateAsync(call.Decision.Id)).ShouldBe("completed");
    }

    [Fact]
    public async Task AHeldReplyNobodyApprovesInTime_DoesNotRun()
    {
        using var warden = host.ClientFor();
        var ticket = NewTicket();
        var options = new WardenGuardOptions { PendingWait = TimeSpan.FromSeconds(1) };
        var agent = GuardedSupportAgent.Create(new ScriptedChatClient([Reply(ticket)]), _desk, warden, options);

        var told = (await agent.RunAsync("Reply, please.", cancellationToken: Cancel)).Text;

        _desk.Replies.ShouldBeEmpty();
        told.ShouldContain("still awaiting a person's approval");
    }

    [Fact]
    public async Task AnOutputCarryingASecret_IsWithheldFromTheModelThoughTheToolRan()
    {
        using var warden = host.ClientFor();

        var told = await RunAsync(warden, Read(LeakyTicket));

        _desk.Reads.ShouldBe([LeakyTicket]);
        told.ShouldNotContain("AKIAIOSFODNN7EXAMPLE");
        told.ShouldContain("Warden withheld its output");
        _calls.ShouldHaveSingleItem().Result.ShouldBe(GuardedCallResult.OutputWithheld);
    }

    [Fact]
    public async Task TheSampleScript_ReadsRepliesOnceApprovedAndNeverDeletes()
    {
        using var warden = host.ClientFor();
        var ticket = NewTicket();

        var running = RunAsync(warden, [.. GuardedSupportAgent.Script(ticket)]);
        await host.ApproveAsync(await host.PendingApprovalAsync(WardenHost.Support, $"helpdesk/tickets/{ticket}", Cancel));
        await running;

        _desk.Reads.ShouldBe([ticket]);
        _desk.Replies.ShouldHaveSingleItem().TicketId.ShouldBe(ticket);
        _desk.Deleted.ShouldBeEmpty();
        _calls.Select(c => c.Result).ShouldBe([GuardedCallResult.Ran, GuardedCallResult.Ran, GuardedCallResult.Denied]);
    }

    [Fact]
    public void GuardAll_AFunctionWithoutAMapping_IsRefusedRatherThanLeftUnguarded()
    {
        using var warden = host.ClientFor();
        var guard = new WardenToolGuard(warden);
        var unmapped = AIFunctionFactory.Create(() => "x", "unmapped");

        Should.Throw<ArgumentException>(() => guard.GuardAll([unmapped], GuardedSupportAgent.Mappings));
    }
}
