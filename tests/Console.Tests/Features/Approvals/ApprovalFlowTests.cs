using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Features.Approvals;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Approvals;

/// <summary>The agent's side of a held action: it waits, officers decide, and it learns the outcome.</summary>
[Collection(AppCollection.Name)]
public sealed class ApprovalFlowTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private Task<Result<VoteResult>> VoteAsync(string email, string requestId, Verdict verdict, string reason = "checked with finance") =>
        app.AsUserAsync<ApprovalService, Result<VoteResult>>(email, s => s.VoteAsync(requestId, verdict, reason));

    [Fact]
    public async Task TwoOfficersApprove_TheWaitingAgentGetsAllowWithAGrantThatWorksOnce()
    {
        var held = await ApprovalScenario.HoldAsync(app, critical: true);
        using var client = Client(app, held.Agent.Token);
        var poll = client.GetAsync(new Uri($"/api/v1/decisions/{held.DecisionId}?waitSeconds=25", UriKind.Relative), TestContext.Current.CancellationToken);

        var first = await VoteAsync(DemoAccounts.Officer, held.RequestId, Verdict.Approve);
        var stillPending = await JsonOf(await client.GetAsync(new Uri($"/api/v1/decisions/{held.DecisionId}", UriKind.Relative), TestContext.Current.CancellationToken));
        var second = await VoteAsync(DemoAccounts.Officer2, held.RequestId, Verdict.Approve);
        using var polled = await poll;
        var answer = await JsonOf(polled);

        first.Value.State.ShouldBe(ApprovalState.Pending);
        stillPending.GetProperty("outcome").GetString().ShouldBe("pending");
        second.Value.State.ShouldBe(ApprovalState.Approved);
        polled.StatusCode.ShouldBe(HttpStatusCode.OK);
        answer.GetProperty("outcome").GetString().ShouldBe("allow");
        answer.GetProperty("state").GetString().ShouldBe("approved");
        answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ShouldContain("approved");
        var grant = answer.GetProperty("grant").GetProperty("token").GetString();
        grant.ShouldNotBeNullOrEmpty();

        using var used = await ReportAsync(client, held.DecisionId, grant);
        using var reused = await ReportAsync(client, held.DecisionId, grant);
        used.StatusCode.ShouldBe(HttpStatusCode.OK);
        reused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AGrantIssuedBeforeTheAgentsCredentialsWereRevoked_IsRefusedEvenWithANewToken()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        (await VoteAsync(DemoAccounts.Officer, held.RequestId, Verdict.Approve)).Value.State.ShouldBe(ApprovalState.Approved);
        using var client = Client(app, held.Agent.Token);
        var approved = await JsonOf(await client.GetAsync(new Uri($"/api/v1/decisions/{held.DecisionId}", UriKind.Relative), TestContext.Current.CancellationToken));

        (await app.AsUserAsync<Warden.Features.Credentials.CredentialService, Result>(DemoAccounts.Officer, s => s.RevokeAsync(held.Agent.Id))).IsSuccess.ShouldBeTrue();
        var secret = await app.AsUserAsync<Warden.Features.Credentials.CredentialService, Result<string>>(DemoAccounts.Officer, s => s.IssueSecretAsync(held.Agent.Id));
        await Task.Delay(1100, TestContext.Current.CancellationToken);
        using var fresh = Client(app, await TokenAsync(app, held.Agent.Id, secret.Value));
        using var report = await ReportAsync(fresh, held.DecisionId, approved.GetProperty("grant").GetProperty("token").GetString());

        report.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await JsonOf(report)).GetProperty("type").GetString().ShouldBe("urn:warden:problem:grant-revoked");
    }

    [Fact]
    public async Task AnApprovedAction_CountsAgainstTodaysBudget()
    {
        var held = await ApprovalScenario.HoldAsync(app, critical: true);
        var meter = app.Services.GetRequiredService<Warden.Features.Decisions.UsageMeter>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var before = await meter.CurrentAsync(held.Agent.Id, clock.GetUtcNow(), TestContext.Current.CancellationToken);

        (await VoteAsync(DemoAccounts.Officer, held.RequestId, Verdict.Approve)).IsSuccess.ShouldBeTrue();
        (await VoteAsync(DemoAccounts.Officer2, held.RequestId, Verdict.Approve)).Value.State.ShouldBe(ApprovalState.Approved);
        var after = await meter.CurrentAsync(held.Agent.Id, clock.GetUtcNow(), TestContext.Current.CancellationToken);

        (after.AmountToday - before.AmountToday).ShouldBe(120m);
    }

    [Fact]
    public async Task AnOfficerDenies_TheAgentGetsDenyWithTheReason_AndNoGrant()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        using var client = Client(app, held.Agent.Token);

        (await VoteAsync(DemoAccounts.Officer, held.RequestId, Verdict.Deny, "account is under review")).Value.State.ShouldBe(ApprovalState.Denied);
        var answer = await JsonOf(await client.GetAsync(new Uri($"/api/v1/decisions/{held.DecisionId}?waitSeconds=5", UriKind.Relative), TestContext.Current.CancellationToken));

        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        answer.GetProperty("state").GetString().ShouldBe("rejected");
        var reason = answer.GetProperty("reasons").EnumerateArray().Last();
        reason.GetProperty("code").GetString().ShouldBe("approval_denied");
        reason.GetProperty("message").GetString()!.ShouldContain("account is under review");
        answer.GetProperty("grant").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task ARequestPastItsDeadline_ExpiresAndTheAgentGetsExpired_NeverAnAllow()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        using var client = Client(app, held.Agent.Token);
        await ApprovalScenario.LapseAsync(app, held);

        var answer = await JsonOf(await client.GetAsync(new Uri($"/api/v1/decisions/{held.DecisionId}", UriKind.Relative), TestContext.Current.CancellationToken));
        var late = await VoteAsync(DemoAccounts.Officer, held.RequestId, Verdict.Approve);

        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        answer.GetProperty("state").GetString().ShouldBe("expired");
        answer.GetProperty("reasons").EnumerateArray().Last().GetProperty("code").GetString().ShouldBe("approval_expired");
        answer.GetProperty("grant").ValueKind.ShouldBe(JsonValueKind.Null);
        late.Error.Code.ShouldBe(ApprovalErrors.AlreadyDecidedCode);
        late.Error.Message.ShouldContain("expired");
        (await ApprovalScenario.EventsAsync(app, "approval.expired", held.RequestId)).ShouldBe(1);
    }

    [Fact]
    public async Task TheSweepExpiresRequestsNobodyAsksAbout_AndTheyStayInTheHistory()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        await ApprovalScenario.LapseAsync(app, held);

        var state = ApprovalState.Pending;
        for (var i = 0; i < 60 && state == ApprovalState.Pending; i++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            state = (await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Auditor, s => s.GetAsync(held.RequestId))).Value.State;
        }
        var history = await app.AsUserAsync<ApprovalService, Result<ApprovalHistoryPage>>(
            DemoAccounts.Officer, s => s.GetHistoryAsync(new ApprovalHistoryFilter(State: ApprovalState.Expired, AgentId: held.Agent.Id)));
        var queue = await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Officer, s => s.GetQueueAsync());

        state.ShouldBe(ApprovalState.Expired);
        history.Value.Cards.ShouldContain(c => c.Id == held.RequestId);
        queue.Value.ShouldNotContain(c => c.Id == held.RequestId);
    }

    [Fact]
    public async Task ARequestLeftUnhandled_IsEscalatedOnce()
    {
        var held = await ApprovalScenario.HoldAsync(app);
        await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            var request = await db.ApprovalRequests.SingleAsync(r => r.Id == held.RequestId);
            db.Entry(request).Property(r => r.OpenedAt).CurrentValue = request.OpenedAt.AddMinutes(-10);
            return await db.SaveChangesAsync();
        });

        ApprovalCard? card = null;
        for (var i = 0; i < 60 && card?.EscalatedAt is null; i++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            card = (await app.AsUserAsync<ApprovalService, Result<ApprovalCard>>(DemoAccounts.Officer, s => s.GetAsync(held.RequestId))).Value;
        }
        await Task.Delay(TimeSpan.FromSeconds(6), TestContext.Current.CancellationToken);

        card!.EscalatedAt.ShouldNotBeNull();
        card.State.ShouldBe(ApprovalState.Pending);
        (await ApprovalScenario.EventsAsync(app, "approval.escalated", held.RequestId)).ShouldBe(1);
    }

    [Fact]
    public async Task TheQueueShowsTheHeldActionWithMaskedParameters_SoonestDeadlineFirst()
    {
        var held = await ApprovalScenario.HoldAsync(app, critical: true);

        var queue = (await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Officer, s => s.GetQueueAsync())).Value;

        var card = queue.Single(c => c.Id == held.RequestId);
        card.Tool.ShouldBe("payments.send");
        card.RiskTier.ShouldBe("critical");
        card.RequiredApprovals.ShouldBe(2);
        card.Amount.ShouldBe(120m);
        card.OwnerName.ShouldNotBeNullOrEmpty();
        card.Justification.ShouldBe("customer asked for their balance");
        card.WhyHeld.ShouldContain(w => w.Contains("two approvers", StringComparison.OrdinalIgnoreCase));
        card.Parameters.ShouldNotBeNull();
        card.Parameters.ShouldNotContain("jane.doe@example.com");
        card.CanVote.ShouldBeTrue();
        queue.Select(c => c.ExpiresAt).ShouldBeInOrder(SortDirection.Ascending);
    }
}
