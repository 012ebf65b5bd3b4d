using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Features.Evidence;
using Warden.Persistence;
using Warden.Tests.Features.Evidence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

/// <summary>
/// Someone with write access to the SQLite file rewrites the chain's tail as consistently as they can:
/// re-hashed events, renumbered followers, and every seal that no longer fits removed. The tail is the
/// last group commit (a sealed head before it) or the whole chain (no seal before it). Each test is the
/// attack; before every commit was sealed, each of these chains verified.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditSealTests
{
    private const int PerCommit = 3;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task VerifyAsync_EventEditedAndTailRehashed_NamesTheFirstUnsealedSequence(bool sealBeforeTail)
    {
        await using var app = WardenAppFactory.With();
        var (tailFrom, _) = await CommitTwiceAsync(app, sealBeforeTail);

        await ForgeTailAsync(app, tailFrom, tail => [tail[0] with { Data = "{\"reason\":\"nothing to see\"}" }, .. tail.Skip(1)]);

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(tailFrom);
        report.Fault.ShouldBe(nameof(AuditChainFault.UnsealedTail));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task VerifyAsync_EventDeletedFromTheTailAndFollowersRenumbered_NamesTheFirstUnsealedSequence(bool sealBeforeTail)
    {
        await using var app = WardenAppFactory.With();
        var (tailFrom, _) = await CommitTwiceAsync(app, sealBeforeTail);

        await ForgeTailAsync(app, tailFrom, tail => [.. tail.Where((_, i) => i != 1)]);

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(tailFrom);
        report.Fault.ShouldBe(nameof(AuditChainFault.UnsealedTail));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task VerifyAsync_TailReplacedWithForgedEvents_NamesTheFirstUnsealedSequence(bool sealBeforeTail)
    {
        await using var app = WardenAppFactory.With();
        var (tailFrom, _) = await CommitTwiceAsync(app, sealBeforeTail);

        await ForgeTailAsync(app, tailFrom, tail => [.. tail.Select(f => f with { Kind = "agent.resumed", Subject = "agt_forged", Data = "{}" })]);

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(tailFrom);
        report.Fault.ShouldBe(nameof(AuditChainFault.UnsealedTail));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task VerifyAsync_TailEventsDeletedButTheirSealLeft_NamesTheFirstRemovedSequence(bool sealBeforeTail)
    {
        await using var app = WardenAppFactory.With();
        var (tailFrom, _) = await CommitTwiceAsync(app, sealBeforeTail);

        await new AuditDatabase(app.DataDirectory).ExecuteAsync("DELETE FROM AuditEvents WHERE Sequence >= $from", ("$from", tailFrom));

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(tailFrom);
        report.Fault.ShouldBe(nameof(AuditChainFault.CheckpointBeyondHead));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task VerifyAsync_TailTruncatedTogetherWithItsSeals_IsCaughtByTheExternalSink(bool sealBeforeTail)
    {
        await using var app = WardenAppFactory.With(SinkIn(out _));
        var (tailFrom, _) = await CommitTwiceAsync(app, sealBeforeTail);

        await TruncateAsync(app, tailFrom);

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(tailFrom);
        report.Fault.ShouldBe(nameof(AuditChainFault.ExternalHeadBeyondHead));
    }

    [Fact]
    public async Task VerifyAsync_TableRewrittenFromGenesisWithItsSeals_IsCaughtByTheExternalSink()
    {
        await using var app = WardenAppFactory.With(SinkIn(out _));
        var (_, head) = await CommitTwiceAsync(app, sealBeforeTail: false);

        await ForgeTailAsync(app, 1, tail => [.. tail.Select(f => f with { Data = "{}" })]);

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(head);
        report.Fault.ShouldBe(nameof(AuditChainFault.ExternalHeadMismatch));
    }

    [Fact]
    public async Task VerifyAsync_TableTruncatedWithItsSeals_IsCaughtByTheSignedHeadOfAnEarlierEvidencePack()
    {
        await using var app = WardenAppFactory.With();
        await CommitTwiceAsync(app, sealBeforeTail: true);
        var manifest = await BuildPackAsync(app);
        var held = manifest.Chain.SignedHeads.Select(h => AuditCheckpoint.Restore(h.Sequence, h.Hash, h.At, h.Signature)).ToList();

        await TruncateAsync(app, 1);

        held.ShouldNotBeEmpty();
        var report = await VerifyAsync(app, held);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(1);
        report.Fault.ShouldBe(nameof(AuditChainFault.ExternalHeadBeyondHead));
    }

    [Fact]
    public async Task VerifyStoredAsync_TableTruncatedWithItsSealsAfterThePackWasBuilt_NamesTheHeadThePackVouchesFor()
    {
        await using var app = WardenAppFactory.With();
        await CommitTwiceAsync(app, sealBeforeTail: true);
        var pack = await EvidenceScenario.GenerateAsync(app, DemoAccounts.Auditor, EvidenceScenario.Today(app));

        await TruncateAsync(app, 1);

        var report = await VerifyPackAsync(app, pack.Id);
        report.Verified.ShouldBeFalse();
        report.Mismatches.ShouldHaveSingleItem().ShouldContain("events were removed since the pack was built");
    }

    [Fact]
    public async Task VerifyStoredAsync_ChainRewrittenFromGenesisAfterThePackWasBuilt_NamesTheReplacedHead()
    {
        await using var app = WardenAppFactory.With();
        await CommitTwiceAsync(app, sealBeforeTail: true);
        var pack = await EvidenceScenario.GenerateAsync(app, DemoAccounts.Auditor, EvidenceScenario.Today(app));

        await ForgeTailAsync(app, 1, tail => [.. tail.Select(f => f with { Data = "{}" })]);

        var report = await VerifyPackAsync(app, pack.Id);
        report.Verified.ShouldBeFalse();
        report.Mismatches.ShouldHaveSingleItem().ShouldContain("was replaced since the pack was built");
    }

    [Fact]
    public async Task VerifyAsync_AfterAForgedTail_WritesNoSeal()
    {
        await using var app = WardenAppFactory.With();
        var (tailFrom, _) = await CommitTwiceAsync(app, sealBeforeTail: true);
        await ForgeTailAsync(app, tailFrom, tail => [tail[0] with { Data = "{}" }, .. tail.Skip(1)]);
        var seals = await SealsAsync(app);

        var first = await VerifyAsync(app);
        var second = await VerifyAsync(app);

        first.Verified.ShouldBeFalse();
        second.Verified.ShouldBeFalse();
        (await SealsAsync(app)).ShouldBe(seals);
    }

    [Fact]
    public async Task CommitAsync_OnAForgedTailOnceTheHeadIsReadAgain_IsRefusedAndSealsNothing()
    {
        await using var app = WardenAppFactory.With();
        var writer = app.Services.GetRequiredService<AuditWriter>();
        var (tailFrom, _) = await CommitTwiceAsync(app, sealBeforeTail: true);
        await ForgeTailAsync(app, tailFrom, tail => [tail[0] with { Data = "{}" }, .. tail.Skip(1)]);
        await ForceHeadReloadAsync(app, writer, sealedSequence: tailFrom - 1);
        var seals = await SealsAsync(app);

        await Should.ThrowAsync<AuditCommitException>(() => writer.CommitAsync(new AuditBatchItem(AuditWriterTests.Entry("after-forgery"), null)));

        (await SealsAsync(app)).ShouldBe(seals);
        (await new AuditDatabase(app.DataDirectory).EventsAsync()).ShouldNotContain(e => e.Subject == "after-forgery");
    }

    [Fact]
    public async Task CommitAsync_EveryGroupCommit_SealsItsHeadAndAppendsItToTheSink()
    {
        await using var app = WardenAppFactory.With(SinkIn(out var sink));
        var writer = app.Services.GetRequiredService<AuditWriter>();

        var (_, head) = await CommitTwiceAsync(app, sealBeforeTail: true);

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeTrue(report.Reason);
        report.HeadSequence.ShouldBe(head);
        var sealedHeads = Directory.GetFiles(sink, "*" + AuditSealSink.Extension).SelectMany(File.ReadAllLines).Select(AuditSealSink.Parse).ToList();
        sealedHeads.ShouldContain(h => h!.Sequence == head && h.Hash == report.HeadHash);
        sealedHeads.ShouldContain(h => h!.Sequence == head - PerCommit);
        (await writer.GetHeadAsync(TestContext.Current.CancellationToken)).Sequence.ShouldBe(head);
    }

    [Fact]
    public async Task CommitAsync_OnAChainWhoseHeadCarriesNoSeal_IsRefusedUntilTheOperatorAcceptsThatHead()
    {
        await using var first = WardenAppFactory.With();
        var (_, head) = await CommitTwiceAsync(first, sealBeforeTail: true);
        await new AuditDatabase(first.DataDirectory).ExecuteAsync("DELETE FROM AuditCheckpoints WHERE Sequence = $head", ("$head", head));
        // Refused at start-up (when something is recorded while starting) or at the first commit.
        var refused = await Should.ThrowAsync<Exception>(async () =>
        {
            await using var refusing = WardenAppFactory.With(dataDirectory: first.DataDirectory);
            await refusing.Services.GetRequiredService<AuditWriter>().CommitAsync(Addition("refused"));
        });
        (refused as AuditChainUnsealedException ?? refused.InnerException).ShouldBeOfType<AuditChainUnsealedException>();
        var accepted = new Dictionary<string, string?> { ["Audit:AcceptUnsealedHeadAt"] = head.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var accepting = WardenAppFactory.With(accepted, first.DataDirectory);

        var sequence = await accepting.Services.GetRequiredService<AuditWriter>().CommitAsync(Addition("accepted"));

        sequence.ShouldBeGreaterThan(head);
        var report = await VerifyAsync(accepting);
        report.Verified.ShouldBeTrue(report.Reason);
        report.HeadSequence.ShouldBe(sequence + PerCommit - 1);
        (await new AuditDatabase(first.DataDirectory).EventsAsync()).ShouldNotContain(e => e.Subject.StartsWith("refused", StringComparison.Ordinal));
    }

    /// <summary>Two group commits of <see cref="PerCommit"/> events; the tail is the second, or the whole chain.</summary>
    private static async Task<(long TailFrom, long Head)> CommitTwiceAsync(WardenAppFactory app, bool sealBeforeTail)
    {
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await writer.CommitAsync(Addition("first"));
        var (between, _) = await writer.GetHeadAsync(TestContext.Current.CancellationToken);
        await writer.CommitAsync(Addition("second"));
        var (head, _) = await writer.GetHeadAsync(TestContext.Current.CancellationToken);
        return (sealBeforeTail ? between + 1 : 1, head);
    }

    private static AuditAddition Addition(string subject) =>
        new(null, [.. Enumerable.Range(0, PerCommit).Select(i => AuditWriterTests.Entry($"{subject}-{i}"))]);

    /// <summary>
    /// Replaces the events from <paramref name="from"/> on with <paramref name="change"/>'s version of them,
    /// renumbered and re-hashed onto the event before, and deletes every seal from there on.
    /// </summary>
    private static async Task ForgeTailAsync(WardenAppFactory app, long from, Func<List<AuditFields>, List<AuditFields>> change)
    {
        var db = new AuditDatabase(app.DataDirectory);
        var events = await db.EventsAsync();
        var previous = from == 1 ? AuditChain.GenesisHash : events.Single(e => e.Sequence == from - 1).Hash;
        var forged = change([.. events.Where(e => e.Sequence >= from).Select(e => e.Fields)]);

        await TruncateAsync(app, from);
        var sequence = from;
        foreach (var fields in forged)
        {
            var renumbered = fields with { Sequence = sequence++ };
            var e = AuditEvent.Restore(renumbered, previous, AuditChain.HashOf(previous, renumbered));
            await db.WriteAsync(e);
            previous = e.Hash;
        }
    }

    private static async Task TruncateAsync(WardenAppFactory app, long from)
    {
        var db = new AuditDatabase(app.DataDirectory);
        await db.ExecuteAsync("DELETE FROM AuditEvents WHERE Sequence >= $from", ("$from", from));
        await db.ExecuteAsync("DELETE FROM AuditCheckpoints WHERE Sequence >= $from", ("$from", from));
    }

    /// <summary>A save that fails makes the writer read the head from the database again, as a restart would.</summary>
    private static async Task ForceHeadReloadAsync(WardenAppFactory app, AuditWriter writer, long sealedSequence)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        db.AuditCheckpoints.Add(AuditCheckpoint.Restore(sealedSequence, AuditChain.GenesisHash, DateTimeOffset.UnixEpoch, AuditChain.GenesisHash));
        await Should.ThrowAsync<DbUpdateException>(() => writer.AppendAsync(db, [AuditWriterTests.Entry("duplicate-seal")], TestContext.Current.CancellationToken));
    }

    private static async Task<List<string>> SealsAsync(WardenAppFactory app)
    {
        var seals = new List<string>();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "warden.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Sequence || ' ' || Hash || ' ' || Signature FROM AuditCheckpoints ORDER BY Sequence";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            seals.Add(reader.GetString(0));
        return seals;
    }

    private static async Task<EvidenceManifest> BuildPackAsync(WardenAppFactory app)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var spec = EvidencePeriods.Spec(null, "Seal", EvidenceScope.Everything, null, now.AddHours(-1), now.AddHours(1), ["Auditor"], now);
        var folder = Path.Combine(app.DataDirectory, "pack-" + spec.PackId);

        await app.Services.GetRequiredService<EvidencePackBuilder>().BuildAsync(spec, folder, null, TestContext.Current.CancellationToken);

        var manifest = EvidenceManifest.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, EvidenceFiles.Manifest), TestContext.Current.CancellationToken));
        manifest.ShouldNotBeNull();
        manifest.Chain.Verified.ShouldBeTrue(manifest.Chain.Verification);
        return manifest;
    }

    private static async Task<EvidenceVerificationReport> VerifyPackAsync(WardenAppFactory app, string packId)
    {
        var report = await app.AsUserAsync<EvidenceVerificationService, Result<EvidenceVerificationReport>>(
            DemoAccounts.Auditor, s => s.VerifyStoredAsync(packId, TestContext.Current.CancellationToken));
        report.IsSuccess.ShouldBeTrue(report.Error.ToString());
        return report.Value;
    }

    private static Dictionary<string, string?> SinkIn(out string folder)
    {
        folder = Directory.CreateTempSubdirectory("warden-seals-").FullName;
        return new Dictionary<string, string?> { ["Audit:SealSinkPath"] = folder };
    }

    private static Task<AuditVerificationReport> VerifyAsync(WardenAppFactory app) => VerifyAsync(app, []);

    private static async Task<AuditVerificationReport> VerifyAsync(WardenAppFactory app, IReadOnlyList<AuditCheckpoint> held)
    {
        var report = await app.AsUserAsync<AuditVerificationService, Result<AuditVerificationReport>>(DemoAccounts.Auditor, s => s.VerifyAsync(held));
        report.IsSuccess.ShouldBeTrue(report.Error.ToString());
        return report.Value;
    }
}
