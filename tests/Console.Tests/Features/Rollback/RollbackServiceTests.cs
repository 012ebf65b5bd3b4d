using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Rollback;
using Warden.Domain.Tools;
using Warden.Features.Rollback;
using Warden.Features.Tools;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Rollback;

/// <summary>
/// Rollbacks on real SQLite against a real compensating endpoint on Kestrel: what is called, with
/// which delivery id and signature, how each fault of the tool is recorded (failed, with the answer,
/// never done), retries with the same delivery id, and two asks at once calling once.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RollbackServiceTests(RollbackApp app) : IClassFixture<RollbackApp>, IAsyncLifetime
{
    private static int _tools;
    private CompensationReceiver _receiver = default!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await CompensationReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task RollBack_OfAnActionThatRan_CallsTheSignedWebhookOnce_AndTheDecisionBecomesRolledBack()
    {
        var (decision, tool) = await ActionThatRanAsync(_receiver.Url("/ok"));

        var result = await AsOfficer(s => s.RollBackAsync(decision));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        result.Value.State.ShouldBe(RollbackState.Succeeded);
        result.Value.AnswerHttpStatus.ShouldBe(200);
        result.Value.AnswerExcerpt!.ShouldContain("refund-7731");
        var call = _receiver.CallsFor(result.Value.Id).ShouldHaveSingleItem();
        call.Event.ShouldBe(CompensatingCalls.EventType);
        app.Services.GetRequiredService<ToolWebhookSignature>().Check(call.Signature, call.Body, _receiver.Url("/ok")).ShouldBeNull();
        using var body = JsonDocument.Parse(call.Body);
        body.RootElement.GetProperty("rollback").GetString().ShouldBe(result.Value.Id);
        body.RootElement.GetProperty("decision").GetProperty("id").GetString().ShouldBe(decision);
        body.RootElement.GetProperty("decision").GetProperty("tool").GetString().ShouldBe(tool);
        body.RootElement.GetProperty("outcome").GetProperty("status").GetString().ShouldBe("succeeded");
        (await OutcomeOfAsync(decision)).ShouldBe("rolled_back");
        (await EventsAsync(result.Value.Id)).ShouldBe(["rollback.requested", "rollback.succeeded"]);
    }

    [Theory]
    [InlineData("/error", "bad_status", 500)]
    [InlineData("/garbage", "bad_body", 200)]
    [InlineData("/refuses", "tool_refused", 200)]
    public async Task RollBack_WhenTheToolAnswersBadly_IsFailedWithTheAnswer_AndTheActionStaysDone(string path, string status, int http)
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url(path));

        var result = await AsOfficer(s => s.RollBackAsync(decision));

        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        result.Value.State.ShouldBe(RollbackState.Failed);
        result.Value.AnswerStatus.ShouldBe(status);
        result.Value.AnswerHttpStatus.ShouldBe(http);
        result.Value.AnswerDetail.ShouldNotBeNullOrWhiteSpace();
        (await OutcomeOfAsync(decision)).ShouldBe("succeeded");
        (await EventsAsync(result.Value.Id)).ShouldBe(["rollback.requested", "rollback.failed"]);
    }

    [Fact]
    public async Task RollBack_WhenTheToolAnswersWithPersonalData_KeepsTheExcerptMasked()
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url("/error"));

        var result = await AsOfficer(s => s.RollBackAsync(decision));

        result.Value.AnswerExcerpt!.ShouldContain("ledger locked");
        result.Value.AnswerExcerpt!.ShouldNotContain("jane.doe@example.com");
    }

    [Fact]
    public async Task RollBack_WhenTheToolIsDown_IsFailedAsUnreachable()
    {
        var (decision, _) = await ActionThatRanAsync(CompensationReceiver.Down());

        var result = await AsOfficer(s => s.RollBackAsync(decision));

        result.Value.State.ShouldBe(RollbackState.Failed);
        result.Value.AnswerStatus.ShouldBe("unreachable");
        (await OutcomeOfAsync(decision)).ShouldBe("succeeded");
    }

    [Fact]
    public async Task RollBack_WhenTheToolIsSlowerThanTheTimeout_IsFailedAsTimedOut()
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url("/slow"));

        var result = await AsOfficer(s => s.RollBackAsync(decision));

        result.Value.State.ShouldBe(RollbackState.Failed);
        result.Value.AnswerStatus.ShouldBe("timed_out");
        (await OutcomeOfAsync(decision)).ShouldBe("succeeded");
    }

    [Fact]
    public async Task RollBack_RetriedAfterAFailure_CallsAgainWithTheSameDeliveryId()
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url("/flaky"));

        var first = await AsOfficer(s => s.RollBackAsync(decision));
        var second = await AsOfficer(s => s.RollBackAsync(decision));

        first.Value.State.ShouldBe(RollbackState.Failed);
        second.Value.State.ShouldBe(RollbackState.Succeeded);
        second.Value.Id.ShouldBe(first.Value.Id);
        second.Value.Attempts.ShouldBe(2);
        _receiver.CallsFor(first.Value.Id).Count.ShouldBe(2);
        (await OutcomeOfAsync(decision)).ShouldBe("rolled_back");
    }

    [Fact]
    public async Task RollBack_AskedAgainAfterItSucceeded_CallsNothing()
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url("/ok"));
        var first = await AsOfficer(s => s.RollBackAsync(decision));

        var again = await AsOfficer(s => s.RollBackAsync(decision));

        again.IsFailure.ShouldBeTrue();
        again.Error.Code.ShouldBeOneOf("rollback.already_succeeded", "rollback.already_rolled_back");
        _receiver.CallsFor(first.Value.Id).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RollBack_AskedTwiceAtOnce_CallsTheToolOnce()
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url("/ok"));
        _receiver.OkDelay = TimeSpan.FromMilliseconds(500);

        var asks = await Task.WhenAll(AsOfficer(s => s.RollBackAsync(decision)), AsOfficer(s => s.RollBackAsync(decision)));
        _receiver.OkDelay = TimeSpan.Zero;

        asks.Count(a => a.IsSuccess).ShouldBe(1);
        var refused = asks.Single(a => a.IsFailure);
        // Usually the second ask meets the first one under way; should it arrive after the first succeeded, it is refused as done.
        refused.Error.Code.ShouldBeOneOf("rollback.in_progress", "rollback.already_succeeded");
        var done = asks.Single(a => a.IsSuccess).Value;
        done.State.ShouldBe(RollbackState.Succeeded);
        _receiver.CallsFor(done.Id).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RollBack_OfAToolWithoutACompensatingAction_IsRefusedAndCallsNothing()
    {
        var (decision, _) = await ActionThatRanAsync(hook: null);
        var calls = _receiver.Calls.Count;

        var result = await AsOfficer(s => s.RollBackAsync(decision));

        result.Error.Code.ShouldBe("rollback.no_compensation");
        result.Error.Message.ShouldContain("declares no compensating action");
        _receiver.Calls.Count.ShouldBe(calls);
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        (await db.Rollbacks.AnyAsync(r => r.DecisionId == decision, Cancel)).ShouldBeFalse();
    }

    [Fact]
    public async Task RollBack_OfAnActionThatFailedOrWasDenied_IsRefused()
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url("/ok"), outcome: "failed");

        var result = await AsOfficer(s => s.RollBackAsync(decision));

        result.Error.Code.ShouldBe("rollback.nothing_ran");
    }

    [Fact]
    public async Task RollBack_ByTheOwner_OfTheirOwnAgent_IsCalled_ByAnotherOwner_IsNotFound()
    {
        var (decision, _) = await ActionThatRanAsync(_receiver.Url("/ok"));

        var stranger = await app.AsUserAsync<RollbackService, Result<RollbackRow>>(DemoAccounts.Owner2, s => s.RollBackAsync(decision));
        var owner = await app.AsUserAsync<RollbackService, Result<RollbackRow>>(DemoAccounts.Owner, s => s.RollBackAsync(decision));

        stranger.Error.Code.ShouldBe("rollback.not_found");
        owner.Value.State.ShouldBe(RollbackState.Succeeded);
    }

    [Fact]
    public async Task RollBackRecent_RollsBackOnlyTheWindowsActionsThatRan_NewestFirst()
    {
        var agent = await ActionsThatRan.RegisterAgentAsync(app);
        var tool = await NewToolAsync(_receiver.Url("/ok"));
        var old = await ActionsThatRan.RecordAsync(app, agent, tool, "succeeded", DateTimeOffset.UtcNow.AddHours(-2));
        var recent = await ActionsThatRan.RecordAsync(app, agent, tool, "succeeded", DateTimeOffset.UtcNow.AddMinutes(-5));
        var newest = await ActionsThatRan.RecordAsync(app, agent, tool, "succeeded", DateTimeOffset.UtcNow.AddMinutes(-1));
        var failed = await ActionsThatRan.RecordAsync(app, agent, tool, "failed", DateTimeOffset.UtcNow.AddMinutes(-2));

        var batch = await AsOfficer(s => s.RollBackRecentAsync(agent, 30));

        batch.IsSuccess.ShouldBeTrue(batch.Error.ToString());
        batch.Value.Called.Select(r => r.DecisionId).ShouldBe([newest, recent]);
        batch.Value.Succeeded.ShouldBe(2);
        (await OutcomeOfAsync(old)).ShouldBe("succeeded");
        (await OutcomeOfAsync(failed)).ShouldBe("failed");
        var actions = await AsOfficer(s => s.GetRecentActionsAsync(agent));
        actions.Value.Actions.Single(a => a.DecisionId == newest).Rollback!.State.ShouldBe(RollbackState.Succeeded);
        actions.Value.Actions.ShouldNotContain(a => a.DecisionId == failed);
    }

    private Task<T> AsOfficer<T>(Func<RollbackService, Task<T>> call) => app.AsUserAsync(DemoAccounts.Officer, call);

    private IDbContextFactory<WardenDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();

    private async Task<(string Decision, string Tool)> ActionThatRanAsync(Uri? hook, string outcome = "succeeded")
    {
        var agent = await ActionsThatRan.RegisterAgentAsync(app);
        var tool = await NewToolAsync(hook);
        return (await ActionsThatRan.RecordAsync(app, agent, tool, outcome, DateTimeOffset.UtcNow.AddMinutes(-1)), tool);
    }

    /// <summary>A tool name of its own for each test, with a compensating webhook when <paramref name="hook"/> is given.</summary>
    private async Task<string> NewToolAsync(Uri? hook)
    {
        var tool = $"ledger.t{Interlocked.Increment(ref _tools)}";
        if (hook is null)
            return tool;
        var saved = await app.AsUserAsync<ToolHookService, Result>(DemoAccounts.Officer,
            s => s.SaveAsync(new ToolHookForm(tool, PreviewSource.None, null, hook.ToString(), null), Cancel));
        saved.IsSuccess.ShouldBeTrue(saved.Error.ToString());
        return tool;
    }

    private async Task<string?> OutcomeOfAsync(string decisionId)
    {
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        return (await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decisionId, Cancel)).OutcomeStatus;
    }

    private async Task<List<string>> EventsAsync(string rollbackId)
    {
        await using var db = await Contexts.CreateDbContextAsync(Cancel);
        return await db.AuditEvents.AsNoTracking().Where(e => e.Kind.StartsWith("rollback.") && e.Data.Contains(rollbackId))
            .OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync(Cancel);
    }
}
