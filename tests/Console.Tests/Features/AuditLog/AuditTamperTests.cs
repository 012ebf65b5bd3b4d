using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

/// <summary>
/// Agents registered through the real services, then the SQLite file changed behind Warden's back:
/// the verifier names the first bad sequence. Each test tampers with its own app's database.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditTamperTests
{
    private const int Registered = 5;

    [Fact]
    public async Task VerifyAsync_UntouchedDatabase_VerifiesEveryDirectoryEvent()
    {
        await using var app = await StartWithAgentsAsync();

        var report = await VerifyAsync(app);

        report.Verified.ShouldBeTrue(report.Reason);
        report.EventsChecked.ShouldBeGreaterThanOrEqualTo(Registered);
        report.Reason.ShouldContain("verified");
    }

    [Fact]
    public async Task VerifyAsync_EventEditedInTheFile_NamesItsSequence()
    {
        await using var app = await StartWithAgentsAsync();
        var db = new AuditDatabase(app.DataDirectory);

        await db.ExecuteAsync("UPDATE AuditEvents SET Data = '{\"reason\":\"nothing to see\"}' WHERE Sequence = 3");

        var report = await VerifyAsync(app);
        report.Verified.ShouldBeFalse();
        report.FirstBadSequence.ShouldBe(3);
        report.Fault.ShouldBe(nameof(AuditChainFault.HashMismatch));
    }

    [Fact]
    public async Task VerifyAsync_EventDeletedFromTheFile_NamesTheMissingSequence()
    {
        await using var app = await StartWithAgentsAsync();
        var db = new AuditDatabase(app.DataDirectory);

        await db.ExecuteAsync("DELETE FROM AuditEvents WHERE Sequence = 2");

        var report = await VerifyAsync(app);
        report.FirstBadSequence.ShouldBe(2);
        report.Fault.ShouldBe(nameof(AuditChainFault.SequenceGap));
    }

    [Fact]
    public async Task VerifyAsync_ForgedEventInsertedIntoTheFile_NamesTheFirstEventThatNoLongerLinks()
    {
        await using var app = await StartWithAgentsAsync();
        var db = new AuditDatabase(app.DataDirectory);
        var events = await db.EventsAsync();
        var forged = AuditEvent.Chain(3, events[1].Hash, events[1].At, AuditActor.System, "agent.resumed", "agt_forged", "{}");

        await db.ExecuteAsync("UPDATE AuditEvents SET Sequence = Sequence + 1000 WHERE Sequence >= 3");
        await db.ExecuteAsync("UPDATE AuditEvents SET Sequence = Sequence - 999 WHERE Sequence >= 1003");
        await db.WriteAsync(forged);

        var report = await VerifyAsync(app);
        report.FirstBadSequence.ShouldBe(4);
        report.Fault.ShouldBe(nameof(AuditChainFault.PreviousHashMismatch));
    }

    [Fact]
    public async Task VerifyAsync_TwoEventsSwappedInTheFile_NamesTheFirstSwappedSequence()
    {
        await using var app = await StartWithAgentsAsync();
        var db = new AuditDatabase(app.DataDirectory);

        await db.ExecuteAsync("UPDATE AuditEvents SET Sequence = -1 WHERE Sequence = 2");
        await db.ExecuteAsync("UPDATE AuditEvents SET Sequence = 2 WHERE Sequence = 4");
        await db.ExecuteAsync("UPDATE AuditEvents SET Sequence = 4 WHERE Sequence = -1");

        var report = await VerifyAsync(app);
        report.FirstBadSequence.ShouldBe(2);
        report.Fault.ShouldBe(nameof(AuditChainFault.PreviousHashMismatch));
    }

    [Fact]
    public async Task VerifyAsync_ChainRewrittenAndRehashedConsistently_IsCaughtByTheSealOfTheEditedEventsCommit()
    {
        await using var app = await StartWithAgentsAsync();
        var db = new AuditDatabase(app.DataDirectory);
        var events = await db.EventsAsync();
        var sealedAt = await FirstSealFromAsync(db, 2);

        var previous = events[0].Hash;
        foreach (var e in events.Skip(1))
        {
            var fields = e.Sequence == 2 ? e.Fields with { Data = "{\"reason\":\"rewritten\"}" } : e.Fields;
            var hash = AuditChain.HashOf(previous, fields);
            await db.ExecuteAsync("UPDATE AuditEvents SET Data = $data, PreviousHash = $previous, Hash = $hash WHERE Sequence = $sequence",
                ("$data", fields.Data), ("$previous", previous), ("$hash", hash), ("$sequence", e.Sequence));
            previous = hash;
        }

        var rehashed = AuditChainVerifier.Verify(await db.EventsAsync(), [], new AuditCheckpointSigner(new byte[32]));
        var report = await VerifyAsync(app);
        rehashed.IsIntact.ShouldBeTrue("the rewrite is consistent, so only the checkpoint can catch it");
        report.FirstBadSequence.ShouldBe(sealedAt);
        report.Fault.ShouldBe(nameof(AuditChainFault.CheckpointMismatch));
    }

    private static async Task<long> FirstSealFromAsync(AuditDatabase db, long sequence)
    {
        long? found = null;
        await db.ReadAsync("SELECT MIN(Sequence) FROM AuditCheckpoints WHERE Sequence >= $from", r => found = r.GetInt64(0), ("$from", sequence));
        return found ?? throw new InvalidOperationException("no seal covers the sequence");
    }

    [Fact]
    public async Task Verify_AsAuditor_AnswersTheReportAsJson()
    {
        await using var app = await StartWithAgentsAsync();
        using var auditor = await app.SignInAsync(DemoAccounts.Auditor);

        using var response = await auditor.GetAsync("/audit/verify", TestContext.Current.CancellationToken);

        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        body.ShouldContain("\"verified\":true");
        body.ShouldContain("\"headSequence\":");
    }

    private static async Task<WardenAppFactory> StartWithAgentsAsync()
    {
        var app = WardenAppFactory.With();
        for (var i = 0; i < Registered; i++)
        {
            var registered = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
            registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        }
        return app;
    }

    private static async Task<AuditVerificationReport> VerifyAsync(WardenAppFactory app)
    {
        var report = await app.AsUserAsync<AuditVerificationService, Result<AuditVerificationReport>>(DemoAccounts.Auditor, s => s.VerifyAsync());
        report.IsSuccess.ShouldBeTrue(report.Error.ToString());
        return report.Value;
    }
}
