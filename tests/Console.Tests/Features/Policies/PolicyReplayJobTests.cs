using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.Policies;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Policies;

/// <summary>Replays as background jobs: the same report as a replay in place, progress kept in the database, failures shown.</summary>
[Collection(AppCollection.Name)]
public sealed class PolicyReplayJobTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // The demo agents stay quiet, so the window holds exactly the decisions each test makes.
    private static readonly Dictionary<string, string?> Quiet = new() { ["Demo:RunAgents"] = "false" };

    private static Task<Result<ReplayRunView>> StartAsync(WardenAppFactory app, int version, string email = DemoAccounts.Officer)
    {
        var now = DateTimeOffset.UtcNow;
        return app.AsUserAsync<PolicyReplayService, Result<ReplayRunView>>(email, s => s.StartReplayAsync(version, now - PolicyReplayService.DefaultReplayWindow, now));
    }

    /// <summary>The run as the page sees it, once the background job has finished it.</summary>
    private static async Task<ReplayRunView> FinishedAsync(WardenAppFactory app, int replayId)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var run = await app.AsUserAsync<PolicyReplayService, Result<ReplayRunView>>(DemoAccounts.Auditor, s => s.GetReplayAsync(replayId));
            run.IsSuccess.ShouldBeTrue(run.IsFailure ? run.Error.ToString() : null);
            if (run.Value.IsFinished)
                return run.Value;
            DateTimeOffset.UtcNow.ShouldBeLessThan(deadline, $"replay {replayId} is still {run.Value.Status}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task StartReplay_RunsInTheBackground_AndGroupsTheChangesAsAReplayInPlaceDoes()
    {
        await using var app = WardenAppFactory.With(Quiet);
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        for (var i = 0; i < 3; i++)
            (await JsonOf(await DecideAsync(client, Body()))).GetProperty("outcome").GetString().ShouldBe("allow");
        var version = await PolicyCandidates.SaveAsync(app, PolicyCandidates.WithReadsReviewed("reads-reviewed-job"));

        var started = await StartAsync(app, version);
        var run = await FinishedAsync(app, started.Value.Id);
        var policies = app.Services.GetRequiredService<PolicyYamlLoader>();
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var content = await db.PolicyVersions.Where(v => v.Id == version).Select(v => v.Content).SingleAsync(TestContext.Current.CancellationToken);
        var inPlace = await app.Services.GetRequiredService<PolicyReplay>().RunAsync(
            app.Services.GetRequiredService<PublishedPolicy>().Current, policies.Load(content).Value, run.From, run.To, (IProgress<int>?)null, TestContext.Current.CancellationToken);

        started.Value.Status.ShouldBe(ReplayStatus.Queued);
        run.Status.ShouldBe(ReplayStatus.Completed, run.Error);
        var report = run.Report.ShouldNotBeNull();
        report.Changes.ShouldContain(c => c.Rule == "crm-reads-reviewed" && c.AgentId == agent.Id && c.From == "allow" && c.To == "pending" && c.Count == 3);
        report.Narrowed.ShouldBe(3);
        report.Widened.ShouldBe(0);
        report.Changes.ShouldBe(inPlace.Changes);
        (report.Replayed, report.Skipped, report.Widened, report.Narrowed).ShouldBe((inPlace.Replayed, inPlace.Skipped, inPlace.Widened, inPlace.Narrowed));
        run.Progress.ShouldBe(report.Replayed + report.Skipped);
        run.Total.ShouldBe(3);
        run.Percent.ShouldBe(100);
        run.BaselineLabel.ShouldBe(DefaultPolicy.Version);
    }

    [Fact]
    public async Task Job_PersistsItsProgressAfterEveryBatch()
    {
        await using var app = WardenAppFactory.With(Quiet);
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        (await JsonOf(await DecideAsync(client, Body()))).GetProperty("outcome").GetString().ShouldBe("allow");
        var version = await PolicyCandidates.SaveAsync(app, PolicyCandidates.WithReadsReviewed("reads-reviewed-progress"));
        var contexts = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        int replayId;
        await using (var db = contexts.CreateDbContext())
        {
            // Added straight to the table, so only the job run here (not the app's worker) takes it.
            var run = new PolicyReplayRun
            {
                VersionId = version, VersionLabel = "reads-reviewed-progress", From = DateTimeOffset.UtcNow.AddDays(-1), To = DateTimeOffset.UtcNow.AddSeconds(1),
                Status = ReplayStatus.Queued, RequestedBy = "test", RequestedByName = "Test", RequestedAt = DateTimeOffset.UtcNow,
            };
            db.PolicyReplays.Add(run);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            replayId = run.Id;
        }
        var seen = new List<int>();
        var replay = app.Services.GetRequiredService<PolicyReplay>();

        await app.Services.GetRequiredService<PolicyReplayJob>().RunAsync(replayId, TestContext.Current.CancellationToken);
        await using var after = contexts.CreateDbContext();
        var stored = await after.PolicyReplays.AsNoTracking().SingleAsync(r => r.Id == replayId, TestContext.Current.CancellationToken);

        stored.Status.ShouldBe(ReplayStatus.Completed, stored.Error);
        stored.Total.ShouldBe(1);
        stored.Progress.ShouldBe(1);
        stored.StartedAt.ShouldNotBeNull();
        stored.FinishedAt.ShouldNotBeNull();
        stored.Result.ShouldNotBeNull().ShouldContain("crm-reads-reviewed");
        await replay.RunAsync(app.Services.GetRequiredService<PublishedPolicy>().Current, app.Services.GetRequiredService<PublishedPolicy>().Current,
            stored.From, stored.To, (done, _) => { seen.Add(done); return Task.CompletedTask; }, TestContext.Current.CancellationToken);
        seen.ShouldBe([1]);
    }

    [Fact]
    public async Task AReplayThatFails_EndsFailed_AndShowsItsError()
    {
        await using var app = WardenAppFactory.With(Quiet);
        var broken = (await app.AsUserAsync<PolicyService, Result<PolicyVersionView>>(DemoAccounts.Officer,
            s => s.SaveAsync("version: broken\nrules:\n  - id: a\n    effect: maybe\n", "broken"))).Value.Id;
        var refused = await StartAsync(app, broken);
        int replayId;
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext())
        {
            var run = new PolicyReplayRun
            {
                VersionId = broken, VersionLabel = "broken", From = DateTimeOffset.UtcNow.AddDays(-1), To = DateTimeOffset.UtcNow,
                Status = ReplayStatus.Queued, RequestedBy = "test", RequestedByName = "Test", RequestedAt = DateTimeOffset.UtcNow,
            };
            db.PolicyReplays.Add(run);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            replayId = run.Id;
        }

        await app.Services.GetRequiredService<PolicyReplayJob>().RunAsync(replayId, TestContext.Current.CancellationToken);
        var shown = await app.AsUserAsync<PolicyReplayService, Result<IReadOnlyList<ReplayRunView>>>(DemoAccounts.Officer, s => s.GetReplaysAsync());

        refused.Error.Code.ShouldBe("policy.not_publishable");
        var failed = shown.Value.ShouldHaveSingleItem();
        failed.Status.ShouldBe(ReplayStatus.Failed);
        failed.Error.ShouldNotBeNull().ShouldContain("does not load");
        failed.Error.ShouldContain("Line 4, column 13");
        failed.Report.ShouldBeNull();
    }

    [Fact]
    public async Task Publish_AfterABackgroundReplay_RestsOnItsResult_AndAWideningVersionStillWaitsForASecondOfficer()
    {
        await using var app = WardenAppFactory.With(Quiet);
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        (await JsonOf(await DecideAsync(client, Body("crm.update", "write", parameters: new { accountId = "42" })))).GetProperty("outcome").GetString().ShouldBe("pending");
        var version = await PolicyCandidates.SaveAsync(app, PolicyCandidates.Prepended("updates-allowed-job", PolicyCandidates.UpdatesAllowed));
        var run = await FinishedAsync(app, (await StartAsync(app, version)).Value.Id);

        var published = await app.AsUserAsync<PolicyPublicationService, Result<PublishResult>>(DemoAccounts.Officer, s => s.PublishAsync(version, "updates are routine"));

        run.Report.ShouldNotBeNull().Widened.ShouldBe(1);
        published.IsSuccess.ShouldBeTrue(published.IsFailure ? published.Error.ToString() : null);
        published.Value.ReplayRunId.ShouldBe(run.Id);
        published.Value.Replay.Widened.ShouldBe(1);
        published.Value.Replay.Changes.ShouldContain(c => c.Rule == "crm-updates-allowed" && c.From == "pending" && c.To == "allow" && c.Count == 1);
        published.Value.Publication.State.ShouldBe(PublicationState.AwaitingSecondOfficer);
        app.Services.GetRequiredService<PublishedPolicy>().Current.Version.ShouldBe(DefaultPolicy.Version);
    }

    [Fact]
    public async Task StartReplay_OfTheSameVersionAndWindowWhileOneIsUnderWay_ReturnsThatOne()
    {
        await using var app = WardenAppFactory.With(Quiet);
        var version = await PolicyCandidates.SaveAsync(app, PolicyCandidates.WithReadsReviewed("reads-reviewed-twice"));
        var now = DateTimeOffset.UtcNow;
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext())
        {
            db.PolicyReplays.Add(new PolicyReplayRun
            {
                VersionId = version, VersionLabel = "reads-reviewed-twice", From = now - PolicyReplayService.DefaultReplayWindow, To = now,
                Status = ReplayStatus.Running, StartedAt = now, RequestedBy = "test", RequestedByName = "Test", RequestedAt = now,
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var again = await app.AsUserAsync<PolicyReplayService, Result<ReplayRunView>>(DemoAccounts.Auditor, s => s.StartReplayAsync(version, now - PolicyReplayService.DefaultReplayWindow, now));

        again.Value.Status.ShouldBe(ReplayStatus.Running);
        again.Value.RequestedByName.ShouldBe("Test");
    }
}
