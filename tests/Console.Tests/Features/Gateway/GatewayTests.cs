using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.Approvals;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Features.Gateway;
using Warden.Persistence;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Gateway;

/// <summary>
/// A real MCP client talks to the running app on a real port, which talks to a real upstream MCP
/// server process: every call is decided first, and only allowed calls reach the upstream.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class GatewayTests(GatewayApp app) : IClassFixture<GatewayApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListTools_ShowsOnlyTheMappedToolsTheAgentDeclares_WithTheUpstreamSchema()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var tools = await client.ListToolsAsync(cancellationToken: Cancel);

        tools.Select(t => t.Name).Order().ShouldBe(["echo", "slow", "sum"]);
        tools.Single(t => t.Name == "echo").JsonSchema.GetRawText().ShouldContain("message");
    }

    [Fact]
    public async Task CallTool_Allowed_ForwardsToTheUpstreamAndRecordsTheOutcomeAndTheForward()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello gateway" }, cancellationToken: Cancel);

        result.IsError.ShouldNotBe(true, Text(result));
        Text(result).ShouldBe("Echo: hello gateway");
        var decision = await LastDecisionAsync(agent.Id, d => d.ReviewOf == null);
        decision.State.ShouldBe(DecisionState.Completed);
        decision.OutcomeStatus.ShouldBe("succeeded");
        decision.Resource.ShouldBe("echo/hello gateway");
        (await ForwardsAsync(decision.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task CallTool_Allowed_ChainsTheReviewTheOutcomeAndTheForwardTogether_AfterTheDecision()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "one write" }, cancellationToken: Cancel);

        result.IsError.ShouldNotBe(true, Text(result));
        var decision = await LastDecisionAsync(agent.Id, d => d.ReviewOf == null);
        var review = await LastDecisionAsync(agent.Id, d => d.ReviewOf == decision.Id);
        var events = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
            var forward = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Kind == GatewayForwards.Kind && e.Subject == decision.Id, Cancel);
            return await db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= forward.Sequence - 2 && e.Sequence <= forward.Sequence)
                .OrderBy(e => e.Sequence).ToListAsync(Cancel);
        });

        // One group-commit item: the review's decision event, then the outcome, then the forward.
        events.Select(e => e.Kind).ShouldBe(["decision.allowed", "decision.outcome_reported", GatewayForwards.Kind]);
        events[0].Data.ShouldContain(review.Id);
        events[1].Data.ShouldContain(decision.Id);
        events.Select(e => e.At).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task CallTool_Denied_IsAToolErrorWithTheReasonAndNeverReachesTheUpstream()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);
        var forwardedBefore = Forwarded();

        var result = await client.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: Cancel);

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("denied");
        Text(result).ShouldContain("tool_not_allowed");
        Forwarded().ShouldBe(forwardedBefore);
        var decision = await LastDecisionAsync(agent.Id);
        decision.Outcome.ShouldBe(DecisionOutcome.Deny);
        (await ForwardsAsync(decision.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task CallTool_PendingThenApprovedByAnOfficer_RunsAndAnswersTheCall()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var call = CallSumAsync(client);
        var pending = await PendingDecisionAsync(agent.Id);
        var vote = await app.AsUserAsync<ApprovalService, Result<VoteResult>>(DemoAccounts.Officer,
            s => s.VoteAsync(ApprovalRequest.IdFor(pending), Verdict.Approve, "sums are harmless"));
        var result = await call;

        vote.IsSuccess.ShouldBeTrue(vote.Error.ToString());
        result.IsError.ShouldNotBe(true, Text(result));
        Text(result).ShouldContain("5");
        (await ForwardsAsync(pending)).ShouldBe(1);
    }

    [Fact]
    public async Task CallTool_PendingThenExpired_IsRefusedAndNeverReachesTheUpstream()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);
        var forwardedBefore = Forwarded();

        var call = CallSumAsync(client);
        var pending = await PendingDecisionAsync(agent.Id);
        await LapseAsync(pending);
        var result = await call;

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("expired");
        Forwarded().ShouldBe(forwardedBefore);
        (await ForwardsAsync(pending)).ShouldBe(0);
    }

    [Fact]
    public async Task CallTool_AfterTheAgentIsContainedWhileConnected_IsRefusedAtOnce()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);
        (await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "before" }, cancellationToken: Cancel)).IsError.ShouldNotBe(true);
        var forwardedBefore = Forwarded();

        var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer,
            s => s.TripAsync(ContainmentScope.Agent, agent.Id, "exfiltration suspected"));
        var refused = await Should.ThrowAsync<McpProtocolException>(() =>
            client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after" }, cancellationToken: Cancel).AsTask());

        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
        refused.Message.ShouldContain("contained");
        refused.Message.ShouldContain("exfiltration suspected");
        Forwarded().ShouldBe(forwardedBefore);
    }

    [Fact]
    public async Task CallTool_UpstreamThatCannotStart_IsAToolErrorNamingItAndShowsOnItsHealth()
    {
        var broken = await app.RegisterAsync($"broken-{Guid.NewGuid():N}"[..20], ["node", RepositoryRoot.Combine("tests", "mcp-upstream", "missing.js")],
            new MappingDraft("echo", $"broken-echo-{Guid.NewGuid():N}"[..24], "demo.echo", "read", "echo/{message}", null));
        var exposed = (await app.AsUserAsync<GatewayService, Result<IReadOnlyList<UpstreamRow>>>(DemoAccounts.Auditor, s => s.GetUpstreamsAsync()))
            .Value.Single(u => u.Id == broken).Mappings.Single().ExposedName;
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var result = await client.CallToolAsync(exposed, new Dictionary<string, object?> { ["message"] = "anyone?" }, cancellationToken: Cancel);
        var health = (await app.AsUserAsync<GatewayService, Result<IReadOnlyList<UpstreamRow>>>(DemoAccounts.Auditor, s => s.GetUpstreamsAsync()))
            .Value.Single(u => u.Id == broken).Health;

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain("unavailable");
        health.State.ShouldBe(UpstreamState.Unavailable);
        health.LastError.ShouldNotBeNullOrEmpty();
        (await DecisionCountAsync(agent.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task CallTool_UpstreamThatAnswersGarbage_IsAToolErrorAndDecidesNothing()
    {
        var exposed = $"garbage-{Guid.NewGuid():N}"[..20];
        await app.RegisterAsync(exposed, ["node", RepositoryRoot.Combine("tests", "mcp-upstream", "garbage.js")],
            new MappingDraft("echo", exposed, "demo.echo", "read", "echo/{message}", null));
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var result = await client.CallToolAsync(exposed, new Dictionary<string, object?> { ["message"] = "hello?" }, cancellationToken: Cancel);

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain($"did not answer within {GatewayApp.ConnectTimeoutSeconds} s");
        (await DecisionCountAsync(agent.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task CallTool_UpstreamSlowerThanTheTimeout_IsAToolErrorAndItsOutcomeIsRecordedAsFailed()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var result = await client.CallToolAsync("slow", new Dictionary<string, object?> { ["duration"] = GatewayApp.CallTimeoutSeconds * 3, ["steps"] = 1 },
            cancellationToken: Cancel);

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain($"did not answer within {GatewayApp.CallTimeoutSeconds} s");
        var decision = await LastDecisionAsync(agent.Id);
        decision.OutcomeStatus.ShouldBe("failed");
        (await ForwardsAsync(decision.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task CallTool_AfterTheUpstreamProcessDied_StartsItAgain()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);
        (await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "first" }, cancellationToken: Cancel)).IsError.ShouldNotBe(true);

        var killed = UpstreamProcesses.KillChildrenRunning(GatewayApp.EverythingServer);
        var answers = new List<CallToolResult>();
        for (var attempt = 0; attempt < 3 && (answers.Count == 0 || answers[^1].IsError == true); attempt++)
            answers.Add(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "again" }, cancellationToken: Cancel));

        killed.ShouldBeGreaterThan(0);
        Text(answers[^1]).ShouldBe("Echo: again");
        answers.SkipLast(1).ShouldAllBe(a => a.IsError == true);
    }

    [Fact]
    public async Task CallTool_ArgumentsThatFailTheUpstreamSchema_IsAnInvalidParamsErrorAndDecidesNothing()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var refused = await Should.ThrowAsync<McpProtocolException>(() =>
            client.CallToolAsync("sum", new Dictionary<string, object?> { ["a"] = "two", ["b"] = 3 }, cancellationToken: Cancel).AsTask());

        refused.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        refused.Message.ShouldContain("schema");
        (await DecisionCountAsync(agent.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task CallTool_UnknownTool_IsAnInvalidParamsError()
    {
        var agent = await app.RegisterAgentAsync();
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var refused = await Should.ThrowAsync<McpProtocolException>(() =>
            client.CallToolAsync("no-such-tool", new Dictionary<string, object?>(), cancellationToken: Cancel).AsTask());

        refused.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        refused.Message.ShouldContain("Unknown tool");
    }

    [Fact]
    public async Task Endpoint_WithoutAToken_Answers401PointingAtTheProtectedResourceMetadata()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var response = await http.PostAsync(new Uri("/mcp", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Cancel);
        var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        var metadata = await http.GetStringAsync(new Uri("/.well-known/oauth-protected-resource/mcp", UriKind.Relative), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        challenge.ShouldContain("resource_metadata=");
        metadata.ShouldContain($"\"authorization_servers\":[\"{app.BaseAddress}");
        metadata.ShouldContain("/mcp\"");
    }

    private static ValueTask<CallToolResult> CallSumAsync(McpClient client) =>
        client.CallToolAsync("sum", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 }, cancellationToken: Cancel);

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private long Forwarded() => app.Services.GetRequiredService<UpstreamConnections>().HealthOf(app.UpstreamId).Forwarded;

    private Task<DecisionRecord> LastDecisionAsync(string agentId, Func<DecisionRecord, bool>? which = null) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
            var decisions = await db.Decisions.AsNoTracking().Where(d => d.AgentId == agentId).ToListAsync(Cancel);
            return decisions.Where(which ?? (_ => true)).OrderBy(d => d.DecidedAt).Last();
        });

    private Task<int> DecisionCountAsync(string agentId) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
            return await db.Decisions.CountAsync(d => d.AgentId == agentId, Cancel);
        });

    private Task<int> ForwardsAsync(string decisionId) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
            return await db.AuditEvents.CountAsync(e => e.Kind == GatewayForwards.Kind && e.Subject == decisionId, Cancel);
        });

    /// <summary>The id of the agent's decision once it is pending (the call is then waiting for officers).</summary>
    private async Task<string> PendingDecisionAsync(string agentId)
    {
        for (var i = 0; i < 100; i++)
        {
            var pending = await app.InScopeAsync(async sp =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
                return await db.Decisions.AsNoTracking().Where(d => d.AgentId == agentId && d.State == DecisionState.Pending)
                    .Select(d => d.Id).FirstOrDefaultAsync(Cancel);
            });
            if (pending is not null)
                return pending;
            await Task.Delay(50, Cancel);
        }
        throw new InvalidOperationException("The call was never held for approval.");
    }

    /// <summary>Moves the held request's deadline (and its decision's) into the past, as if nobody had decided in time.</summary>
    private Task<int> LapseAsync(string decisionId) =>
        app.InScopeAsync(async sp =>
        {
            var past = sp.GetRequiredService<TimeProvider>().GetUtcNow().AddSeconds(-1);
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
            var request = await db.ApprovalRequests.SingleAsync(r => r.Id == ApprovalRequest.IdFor(decisionId), Cancel);
            db.Entry(request).Property(r => r.ExpiresAt).CurrentValue = past;
            var decision = await db.Decisions.SingleAsync(d => d.Id == decisionId, Cancel);
            decision.ExpiresAt = past;
            await db.SaveChangesAsync(Cancel);
            return 0;
        });
}
