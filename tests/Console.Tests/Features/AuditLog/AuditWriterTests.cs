using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

/// <summary>The group-commit path the decision API uses, against the app's real SQLite file.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditWriterTests
{
    [Fact]
    public async Task CommitAsync_TwoHundredConcurrentItems_AllCommitWithConsecutiveSequencesAndTheirOwnRows()
    {
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        var (start, _) = await writer.GetHeadAsync(TestContext.Current.CancellationToken);

        var sequences = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => writer.CommitAsync(Item($"grp-{i}")))));

        sequences.Order().ShouldBe(Enumerable.Range(1, 200).Select(i => start + i));
        (await CountChangesAsync(app, "grp-")).ShouldBe(200);
        var events = await new AuditDatabase(app.DataDirectory).EventsAsync();
        events.Count(e => e.Kind == "decision.allowed").ShouldBe(200);
        (await VerifyAsync(app)).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_WhenOneRowFailsTheSharedTransaction_OnlyThatItemFaultsAndTheChainGoesOnIntact()
    {
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        var existing = await writer.CommitAsync(Item("seed"));
        var seedRowId = await ChangeIdAsync(app, "seed");
        var db = new AuditDatabase(app.DataDirectory);

        Task<long> first;
        List<Task<long>> batch;
        await using (await db.HoldWriteLockAsync())
        {
            first = writer.CommitAsync(Item("fail-first"));
            await Task.Delay(300, TestContext.Current.CancellationToken);
            batch = Enumerable.Range(0, 10).Select(i => writer.CommitAsync(Item($"fail-{i}")))
                .Append(writer.CommitAsync(new AuditBatchItem(Entry("fail-bad"), d => d.AgentChanges.Add(Change("fail-bad", id: seedRowId)))))
                .Concat(Enumerable.Range(10, 10).Select(i => writer.CommitAsync(Item($"fail-{i}"))))
                .ToList();
        }

        var bad = batch[10];
        await Should.ThrowAsync<AuditCommitException>(() => bad);
        foreach (var task in batch.Where(t => t != bad))
            (await task).ShouldBeGreaterThan(existing);
        var firstCommitted = first.IsCompletedSuccessfully ? 1 : 0;
        (await CountChangesAsync(app, "fail-")).ShouldBe(20 + firstCommitted);
        var after = await writer.CommitAsync(Item("after"));
        var (head, _) = await writer.GetHeadAsync(TestContext.Current.CancellationToken);
        after.ShouldBe(existing + 20 + firstCommitted + 1);
        head.ShouldBe(after);
        (await VerifyAsync(app)).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_ItemWhoseOwnActionThrows_FailsAloneWhileTheOthersCommit()
    {
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();

        var tasks = Enumerable.Range(0, 5).Select(i => writer.CommitAsync(Item($"own-{i}")))
            .Append(writer.CommitAsync(new AuditBatchItem(Entry("own-throws"), _ => throw new InvalidOperationException("bad row"))))
            .ToList();

        await Should.ThrowAsync<InvalidOperationException>(() => tasks[^1]);
        foreach (var task in tasks.Take(5))
            await task;
        (await CountChangesAsync(app, "own-")).ShouldBe(5);
        (await VerifyAsync(app)).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task AppendAsync_WhenTheCallersSaveFails_RecordsNothingAndTheNextAppendContinuesTheChain()
    {
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await writer.CommitAsync(Item("append-seed"));
        var seedRowId = await ChangeIdAsync(app, "append-seed");
        var (before, _) = await writer.GetHeadAsync(TestContext.Current.CancellationToken);

        await using (var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext())
        {
            db.AgentChanges.Add(Change("append-dup", id: seedRowId));
            await Should.ThrowAsync<DbUpdateException>(() => writer.AppendAsync(db, [Entry("append-dup")], TestContext.Current.CancellationToken));
        }
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext())
        {
            db.AgentChanges.Add(Change("append-ok"));
            await writer.AppendAsync(db, [Entry("append-ok")], TestContext.Current.CancellationToken);
        }

        var events = await new AuditDatabase(app.DataDirectory).EventsAsync();
        events.ShouldNotContain(e => e.Subject == "append-dup");
        events.Single(e => e.Subject == "append-ok").Sequence.ShouldBe(before + 1);
        (await VerifyAsync(app)).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task CommitAsync_EveryGroupCommit_WritesASignedSealAtItsHead()
    {
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        var (before, _) = await writer.GetHeadAsync(TestContext.Current.CancellationToken);

        await Task.WhenAll(Enumerable.Range(0, 25).Select(i => writer.CommitAsync(Item($"cp-{i}"))));

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeTrue(report.Reason);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        (await db.AuditCheckpoints.AnyAsync(c => c.Sequence == report.HeadSequence && c.Hash == report.HeadHash, TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await db.AuditCheckpoints.CountAsync(c => c.Sequence > before, TestContext.Current.CancellationToken)).ShouldBeGreaterThanOrEqualTo(1);
        (await db.StoredKeys.CountAsync(k => k.Name == AuditCheckpointKey.KeyName, TestContext.Current.CancellationToken)).ShouldBe(1);
        File.Exists(Path.Combine(app.DataDirectory, AuditCheckpointKey.FileName)).ShouldBeFalse();
    }

    [Fact]
    public async Task CommitAsync_AnItemWithdrawnWhileItWaitsForItsTurn_IsNeverWritten_AndTheOthersCommit()
    {
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        var cancel = TestContext.Current.CancellationToken;
        using var withdraw = new CancellationTokenSource();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Someone else's turn on the chain (as another instance's trip holds it until it commits).
        Task<bool> turn;
        Task<long> withdrawn, kept, late;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(cancel))
        {
            turn = writer.AppendIfAsync(db, async (_, _) =>
            {
                holding.SetResult();
                await release.Task;
                return true;
            }, [Entry("wd-turn")], cancel);
            await holding.Task;
            withdrawn = writer.CommitAsync(Item("wd-withdrawn") with { WithdrawnBy = new Withdrawal(withdraw.Token) });
            kept = writer.CommitAsync(Item("wd-kept"));
            await Task.Delay(200, cancel);
            withdrawn.IsCompleted.ShouldBeFalse("it waits for its turn");

            await withdraw.CancelAsync();
            await Should.ThrowAsync<AuditItemWithdrawnException>(() => withdrawn.WaitAsync(TimeSpan.FromSeconds(5), cancel));
            kept.IsCompleted.ShouldBeFalse("the turn is still held: only the withdrawn item was answered");
            release.SetResult();
            (await turn).ShouldBeTrue();
        }
        (await kept).ShouldBeGreaterThan(0);
        // A signal cancelled before the item is queued withdraws it at once; one never cancelled does nothing.
        await Should.ThrowAsync<AuditItemWithdrawnException>(() => writer.CommitAsync(Item("wd-late") with { WithdrawnBy = new Withdrawal(withdraw.Token) }));
        using var never = new CancellationTokenSource();
        late = writer.CommitAsync(Item("wd-signalled-after") with { WithdrawnBy = new Withdrawal(never.Token) });
        (await late).ShouldBeGreaterThan(await kept);
        await never.CancelAsync();

        (await CountChangesAsync(app, "wd-withdrawn")).ShouldBe(0);
        (await CountChangesAsync(app, "wd-late")).ShouldBe(0);
        (await CountChangesAsync(app, "wd-kept")).ShouldBe(1);
        (await CountChangesAsync(app, "wd-signalled-after")).ShouldBe(1, "committed before its signal: a later cancellation changes nothing");
        var events = await new AuditDatabase(app.DataDirectory).EventsAsync();
        events.ShouldNotContain(e => e.Subject == "wd-withdrawn" || e.Subject == "wd-late");
        (await VerifyAsync(app)).Verified.ShouldBeTrue();
    }

    [Fact]
    public async Task Verification_WhileCommitsGoOn_FindsTheChainIntactEveryTime()
    {
        // An auditor verifies while agents keep deciding: what is committed during the walk must not
        // read as events written outside Warden.
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        using var stop = new CancellationTokenSource();
        var committed = 0;
        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await Task.WhenAll(Enumerable.Range(0, 4).Select(i => writer.CommitAsync(Item($"live-{Interlocked.Increment(ref committed)}"))));
        }, TestContext.Current.CancellationToken);

        var reports = new List<AuditVerificationReport>();
        for (var i = 0; i < 40; i++)
            reports.Add(await VerifyAsync(app));
        await stop.CancelAsync();
        await writing;

        committed.ShouldBeGreaterThan(40);
        reports.Where(r => !r.Verified).Select(r => r.Reason).ShouldBeEmpty();
        (await VerifyAsync(app)).Verified.ShouldBeTrue();
    }

    internal static AuditEntry Entry(string subject) =>
        AuditEntry.Of(AuditActor.Agent("agt_test", "test agent"), "decision.allowed", subject, new { tool = "erp.invoices", contact = "jo@example.com" });

    private static AuditBatchItem Item(string subject) => new(Entry(subject), db => db.AgentChanges.Add(Change(subject)));

    private static AgentChange Change(string agentId, long id = 0) => new()
    {
        Id = id,
        AgentId = agentId,
        At = DateTimeOffset.UnixEpoch,
        ActorName = "test",
        Kind = "decision",
    };

    private static Task<int> CountChangesAsync(WardenAppFactory app, string prefix) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await db.AgentChanges.CountAsync(c => c.AgentId.StartsWith(prefix));
        });

    private static Task<long> ChangeIdAsync(WardenAppFactory app, string agentId) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await db.AgentChanges.Where(c => c.AgentId == agentId).Select(c => c.Id).SingleAsync();
        });

    internal static async Task<AuditVerificationReport> VerifyAsync(WardenAppFactory app)
    {
        var report = await app.AsUserAsync<AuditVerificationService, Result<AuditVerificationReport>>(DemoAccounts.Auditor, s => s.VerifyAsync());
        report.IsSuccess.ShouldBeTrue(report.Error.ToString());
        return report.Value;
    }
}
