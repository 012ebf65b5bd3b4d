using Warden.Client.Tests.Support;

namespace Warden.Client.Tests.Decisions;

/// <summary>Asking, waiting and reporting as the demo support agent against the real console.</summary>
public sealed class DecisionTests(WardenHost host)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Ticket() => $"helpdesk/tickets/{Random.Shared.Next(100_000, 999_999)}";

    [Fact]
    public async Task AskAsync_ARead_IsAllowedAndItsOutcomeIsReportedOnceWithTheGrant()
    {
        using var client = host.ClientFor();

        var decision = await client.AskAsync(WardenAsk.For("tickets.read", "read", Ticket()) with { Impact = new WardenImpact(Records: 1) }, cancellationToken: Cancel);
        var receipt = await client.ReportOutcomeAsync(decision.Id, new WardenOutcomeReport(decision.Grant!.Token, WardenOutcomeStatus.Succeeded) { Records = 1 }, Cancel);
        var again = await Should.ThrowAsync<WardenGrantRefusedException>(() =>
            client.ReportOutcomeAsync(decision.Id, new WardenOutcomeReport(decision.Grant.Token, WardenOutcomeStatus.Succeeded), Cancel));

        decision.Outcome.ShouldBe(WardenVerdict.Allow);
        receipt.DecisionId.ShouldBe(decision.Id);
        receipt.Status.ShouldBe("succeeded");
        (await host.DecisionStateAsync(decision.Id)).ShouldBe("completed");
        again.Refusal.ShouldBe(WardenGrantRefusal.Used);
        again.ProblemType.ShouldBe("urn:warden:problem:grant-used");
    }

    [Fact]
    public async Task DryRunAsync_SaysWhatWouldHappen_WithoutAGrant_AndTheRealAskStillDecides()
    {
        using var client = host.ClientFor();
        var ticket = Ticket();

        var allowed = await client.DryRunAsync(WardenAsk.For("tickets.read", "read", ticket), Cancel);
        var refused = await client.DryRunAsync(WardenAsk.For("crm.read", "read", "hr/salaries/7"), Cancel);
        var real = await client.AskAsync(WardenAsk.For("tickets.read", "read", ticket), cancellationToken: Cancel);

        allowed.Outcome.ShouldBe(WardenVerdict.Allow);
        allowed.State.ShouldBe("dry_run");
        allowed.Id.ShouldStartWith("dry_");
        allowed.Grant.ShouldBeNull();
        refused.Outcome.ShouldBe(WardenVerdict.Deny);
        refused.Reasons.Select(r => r.Code).ShouldContain("resource_out_of_scope");
        real.State.ShouldBe("allowed");
        real.Grant.ShouldNotBeNull();
    }

    [Fact]
    public async Task AskAsync_AResourceOutsideTheAgentsScopes_IsDeniedWithTheReason()
    {
        using var client = host.ClientFor();

        var decision = await client.AskAsync(WardenAsk.For("crm.read", "read", "hr/salaries/7"), cancellationToken: Cancel);

        decision.Outcome.ShouldBe(WardenVerdict.Deny);
        decision.Grant.ShouldBeNull();
        decision.Reasons.Select(r => r.Code).ShouldContain("resource_out_of_scope");
    }

    [Fact]
    public async Task WaitAsync_APendingReply_ReturnsAllowOnceAnOfficerApproves()
    {
        using var client = host.ClientFor();
        var ticket = Ticket();
        var asked = await client.AskAsync(WardenAsk.For("tickets.reply", "write", ticket, new { ticketId = ticket[17..], body = "On it." }), cancellationToken: Cancel);

        var waiting = client.WaitAsync(asked.Id, TimeSpan.FromSeconds(40), Cancel);
        await host.ApproveAsync(asked.Approval!.Id);
        var decided = await waiting;

        asked.Outcome.ShouldBe(WardenVerdict.Pending);
        decided.Outcome.ShouldBe(WardenVerdict.Allow);
        decided.State.ShouldBe("approved");
        decided.Grant.ShouldNotBeNull();
    }

    [Fact]
    public async Task WaitAsync_WhenNobodyDecidesWithinTheBound_ReturnsTheDecisionStillPending()
    {
        using var client = host.ClientFor();
        var ticket = Ticket();
        var asked = await client.AskAsync(WardenAsk.For("tickets.reply", "write", ticket, new { ticketId = "1", body = "Later." }), cancellationToken: Cancel);

        var waited = await client.WaitAsync(asked.Id, TimeSpan.FromSeconds(1.5), Cancel);

        waited.Outcome.ShouldBe(WardenVerdict.Pending);
        waited.Id.ShouldBe(asked.Id);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_StopsWaiting()
    {
        using var client = host.ClientFor();
        var asked = await client.AskAsync(WardenAsk.For("tickets.reply", "write", Ticket(), new { ticketId = "2", body = "Soon." }), cancellationToken: Cancel);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(500));

        await Should.ThrowAsync<OperationCanceledException>(() => client.WaitAsync(asked.Id, TimeSpan.FromSeconds(30), cancel.Token));
    }

    [Fact]
    public async Task AskAsync_TheSameIdempotencyKeyTwice_ReturnsTheSameDecision()
    {
        using var client = host.ClientFor();
        var ask = WardenAsk.For("tickets.read", "read", Ticket());
        var key = WardenClient.NewIdempotencyKey();

        var first = await client.AskAsync(ask, key, Cancel);
        var second = await client.AskAsync(ask, key, Cancel);
        var conflict = await Should.ThrowAsync<WardenIdempotencyConflictException>(() => client.AskAsync(ask with { Resource = Ticket() }, key, Cancel));

        second.Id.ShouldBe(first.Id);
        conflict.StatusCode.ShouldBe(409);
    }

    [Fact]
    public async Task AskAsync_ParametersThatFailTheToolsSchema_ThrowSchemaViolationListingEachError()
    {
        using var client = host.ClientFor();

        var refused = await Should.ThrowAsync<WardenSchemaViolationException>(() =>
            client.AskAsync(WardenAsk.For("tickets.reply", "write", Ticket(), new { ticketId = 42 }), cancellationToken: Cancel));

        refused.Errors.ShouldNotBeEmpty();
        refused.ProblemType.ShouldBe("urn:warden:problem:parameters-invalid");
    }

    [Fact]
    public async Task AskAsync_AsAContainedAgent_ThrowsContained()
    {
        var agent = await host.RegisterAsync();
        using var client = host.ClientFor(agent, await host.IssueSecretAsync(agent));
        await client.GetAgentAsync(Cancel);

        await host.ContainAsync(agent);
        var refused = await Should.ThrowAsync<WardenContainedException>(() =>
            client.AskAsync(WardenAsk.For("crm.read", "read", "crm/accounts/1"), cancellationToken: Cancel));

        refused.StatusCode.ShouldBe(403);
        refused.ProblemType.ShouldBe("urn:warden:problem:contained");
    }

    [Fact]
    public async Task AskAsync_OverTheAgentsRateLimit_ThrowsRateLimitedWithRetryAfterAndTheRecordedDeny()
    {
        var agent = await host.RegisterAsync(rateLimitPerMinute: 1);
        using var client = host.ClientFor(agent, await host.IssueSecretAsync(agent));

        // The window is the calendar minute: of three quick asks at least one is over a limit of one.
        WardenRateLimitedException? limited = null;
        for (var i = 0; i < 3 && limited is null; i++)
            limited = await Record.ExceptionAsync(() => client.AskAsync(WardenAsk.For("crm.read", "read", $"crm/accounts/{i}"), cancellationToken: Cancel)) as WardenRateLimitedException;

        limited.ShouldNotBeNull();
        limited.RetryAfter.ShouldNotBeNull().ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        limited.Decision.ShouldNotBeNull().Outcome.ShouldBe(WardenVerdict.Deny);
        limited.Decision.Reasons.Select(r => r.Code).ShouldContain("rate_limited");
    }

    [Fact]
    public async Task ReviewOutputAsync_AnOutputCarryingACloudKey_IsHeldBack()
    {
        using var client = host.ClientFor();
        var decision = await client.AskAsync(WardenAsk.For("tickets.read", "read", Ticket()), cancellationToken: Cancel);

        var clean = await client.ReviewOutputAsync(decision.Id, "The customer asked for a refund.", Cancel);
        var leaking = await client.ReviewOutputAsync(decision.Id, new { summary = "done", debug = "key=AKIAIOSFODNN7EXAMPLE" }, Cancel);

        clean.Outcome.ShouldBe(WardenVerdict.Allow);
        leaking.Outcome.ShouldBe(WardenVerdict.Deny);
    }
}
