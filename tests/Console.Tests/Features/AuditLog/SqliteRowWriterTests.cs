using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.Autonomy;
using Warden.Domain.Decisions;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using DecisionState = Warden.Features.Decisions.DecisionState;
using Warden.Infrastructure.Storage;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

/// <summary>The group commit's prepared inserts write exactly what EF Core's SaveChanges writes, or nothing.</summary>
public sealed class SqliteRowWriterTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 6, 30, 15, 123, TimeSpan.FromHours(2));

    private readonly SharedDatabase _database = new();

    [Fact]
    public async Task Write_StoresEveryColumnOfADecisionAsSaveChangesDoes()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_by_ef", idempotencyKey: "key-ef"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using (var writer = Writer())
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_by_writer", idempotencyKey: "key-writer"));
            writer.Write(writer.TryCollectRows(db).ShouldNotBeNull());
        }

        var byEf = await RowAsync("Decisions", "dec_by_ef");
        var byWriter = await RowAsync("Decisions", "dec_by_writer");
        byWriter.Count.ShouldBe(byEf.Count);
        foreach (var (column, stored) in byEf.Where(c => c.Key is not ("Id" or "IdempotencyKey")))
            byWriter[column].ShouldBe(stored, $"column {column}");
        byWriter["Id"].ShouldBe(("text", "dec_by_writer"));
        await using var read = _database.CreateDbContext();
        var back = await read.Decisions.SingleAsync(d => d.Id == "dec_by_writer", TestContext.Current.CancellationToken);
        back.Amount.ShouldBe(12.5m);
        back.DecidedAt.ShouldBe(Now);
        back.ViolationSeverity.ShouldBe(ViolationSeverity.High);
        back.ImpactDeclared.ShouldBe(ImpactFigures.All);
    }

    [Fact]
    public async Task Write_StoresEventsAndSealsAsSaveChangesDoes()
    {
        var signer = new AuditCheckpointSigner(new byte[32]);
        var first = AuditEvent.Chain(1, AuditChain.GenesisHash, Now, AuditActor.Agent("agt_a", "Agent A"), "decision.allowed", "agt_a", "{\"n\":1}");
        await using (var db = _database.CreateDbContext())
        {
            db.AuditEvents.Add(first);
            db.AuditCheckpoints.Add(signer.Sign(1, first.Hash, Now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var second = AuditEvent.Chain(2, first.Hash, Now, AuditActor.Agent("agt_a", "Agent A"), "decision.allowed", "agt_a", "{\"n\":1}");

        using (var writer = Writer())
        await using (var db = _database.CreateDbContext())
        {
            db.AuditCheckpoints.Add(signer.Sign(2, second.Hash, Now));
            db.AuditEvents.Add(second);
            writer.Write(writer.TryCollectRows(db).ShouldNotBeNull());
        }

        var one = await RowAsync("AuditEvents", 1L, key: "Sequence");
        var two = await RowAsync("AuditEvents", 2L, key: "Sequence");
        foreach (var (column, stored) in one.Where(c => c.Key is not ("Sequence" or "Hash" or "PreviousHash")))
            two[column].ShouldBe(stored, $"column {column}");
        two["PreviousHash"].ShouldBe(("text", first.Hash));
        var sealOne = await RowAsync("AuditCheckpoints", 1L, key: "Sequence");
        var sealTwo = await RowAsync("AuditCheckpoints", 2L, key: "Sequence");
        sealTwo.Keys.ShouldBe(sealOne.Keys);
        sealTwo["At"].ShouldBe(sealOne["At"]);
        await using var read = _database.CreateDbContext();
        var chain = await read.AuditEvents.OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        chain.Select(e => e.Sequence).ShouldBe([1L, 2L]);
        foreach (var e in chain)
            AuditChain.HashOf(e.PreviousHash, e.Fields).ShouldBe(e.Hash, $"event {e.Sequence} read back hashes as it was chained");
    }

    [Fact]
    public async Task Write_WhenOneRowBreaksAUniqueKey_ThrowsAsSaveChangesWouldAndWritesNoneOfTheRows()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_first", idempotencyKey: "same-key"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using var writer = Writer();
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_fine", idempotencyKey: "other-key"));
            db.Decisions.Add(Decision("dec_duplicate", idempotencyKey: "same-key"));
            var rows = writer.TryCollectRows(db).ShouldNotBeNull();
            Should.Throw<DbUpdateException>(() => writer.Write(rows)).InnerException.ShouldBeOfType<SqliteException>();
        }
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_after", idempotencyKey: "after-key"));
            writer.Write(writer.TryCollectRows(db).ShouldNotBeNull());
        }

        await using var read = _database.CreateDbContext();
        (await read.Decisions.Select(d => d.Id).OrderBy(id => id).ToListAsync(TestContext.Current.CancellationToken))
            .ShouldBe(["dec_after", "dec_first"]);
    }

    [Fact]
    public async Task Write_StoresANewApprovalRequestAsSaveChangesDoes_ItsVotesTableStayingEmpty()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.ApprovalRequests.Add(Approval("dec_held_ef"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using (var writer = Writer())
        await using (var db = _database.CreateDbContext())
        {
            db.ApprovalRequests.Add(Approval("dec_held_writer"));
            writer.Write(writer.TryCollectRows(db).ShouldNotBeNull());
        }

        var byEf = await RowAsync("ApprovalRequests", "dec_held_ef", key: "DecisionId");
        var byWriter = await RowAsync("ApprovalRequests", "dec_held_writer", key: "DecisionId");
        foreach (var (column, stored) in byEf.Where(c => c.Key is not ("Id" or "DecisionId")))
            byWriter[column].ShouldBe(stored, $"column {column}");
        await using var read = _database.CreateDbContext();
        var back = await read.ApprovalRequests.SingleAsync(r => r.DecisionId == "dec_held_writer", TestContext.Current.CancellationToken);
        back.Votes.ShouldBeEmpty();
        back.RequiredApprovals.ShouldBe(2);
        back.EligibleRoles.ShouldBe([Roles.SecurityOfficer]);
    }

    [Fact]
    public async Task TryCollect_LeavesDeletesAndAgentsToSaveChanges_AndSkipsWhatIsUnchanged()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_existing", idempotencyKey: null));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        using var writer = Writer();

        await using var removed = _database.CreateDbContext();
        removed.Decisions.Remove(await removed.Decisions.SingleAsync(TestContext.Current.CancellationToken));
        writer.TryCollectRows(removed).ShouldBeNull();

        await using var agent = _database.CreateDbContext();
        agent.Agents.Add(Warden.Tests.Domain.Agents.Agents.Active());
        writer.TryCollectRows(agent).ShouldBeNull();

        await using var read = _database.CreateDbContext();
        _ = await read.Decisions.SingleAsync(TestContext.Current.CancellationToken);
        read.Decisions.Add(Decision("dec_only_insert", idempotencyKey: null));
        var rows = writer.TryCollectRows(read).ShouldNotBeNull();
        rows.Inserts.Count.ShouldBe(1);
        rows.Updates.ShouldBeEmpty();
    }

    [Fact]
    public async Task Write_UpdatesTheChangedColumnsAsSaveChangesDoes_WithAnInsertInTheSameCommit()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_outcome_ef", idempotencyKey: null));
            db.Decisions.Add(Decision("dec_outcome_writer", idempotencyKey: null));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = _database.CreateDbContext())
        {
            ReportOutcome(await db.Decisions.SingleAsync(d => d.Id == "dec_outcome_ef", TestContext.Current.CancellationToken), db);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using (var writer = Writer())
        await using (var db = _database.CreateDbContext())
        {
            ReportOutcome(await db.Decisions.SingleAsync(d => d.Id == "dec_outcome_writer", TestContext.Current.CancellationToken), db);
            db.Decisions.Add(Decision("dec_review", idempotencyKey: null));
            var rows = writer.TryCollectRows(db).ShouldNotBeNull();
            (rows.Inserts.Count, rows.Updates.Count).ShouldBe((1, 1));
            writer.Write(rows);
        }

        var byEf = await RowAsync("Decisions", "dec_outcome_ef");
        var byWriter = await RowAsync("Decisions", "dec_outcome_writer");
        foreach (var (column, stored) in byEf.Where(c => c.Key != "Id"))
            byWriter[column].ShouldBe(stored, $"column {column}");
        byWriter["Version"].ShouldBe(("integer", 1L));
        byWriter["OutcomeStatus"].ShouldBe(("text", "succeeded"));
        (await RowAsync("Decisions", "dec_review"))["Id"].ShouldBe(("text", "dec_review"));
    }

    [Fact]
    public async Task Write_WhenTheRowChangedSinceItWasRead_ThrowsAsSaveChangesWould_AndWritesNothingOfTheCommit()
    {
        await using (var db = _database.CreateDbContext())
        {
            db.Decisions.Add(Decision("dec_raced", idempotencyKey: null));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        using var writer = Writer();
        await using var first = _database.CreateDbContext();
        await using var second = _database.CreateDbContext();
        var firstRead = await first.Decisions.SingleAsync(TestContext.Current.CancellationToken);
        var secondRead = await second.Decisions.SingleAsync(TestContext.Current.CancellationToken);

        ReportOutcome(firstRead, first);
        writer.Write(writer.TryCollectRows(first).ShouldNotBeNull());

        ReportOutcome(secondRead, second, "failed");
        second.Decisions.Add(Decision("dec_with_the_loser", idempotencyKey: null));
        var rows = writer.TryCollectRows(second).ShouldNotBeNull();
        Should.Throw<DbUpdateConcurrencyException>(() => writer.Write(rows));

        await using var read = _database.CreateDbContext();
        (await read.Decisions.SingleAsync(d => d.Id == "dec_raced", TestContext.Current.CancellationToken)).OutcomeStatus.ShouldBe("succeeded");
        (await read.Decisions.AnyAsync(d => d.Id == "dec_with_the_loser", TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    /// <summary>What an outcome report changes on a decision: its outcome columns and its version.</summary>
    private static void ReportOutcome(DecisionRecord decision, Warden.Persistence.WardenDbContext db, string status = "succeeded")
    {
        decision.State = DecisionState.Completed;
        decision.GrantUsedAt = Now.AddSeconds(2);
        decision.OutcomeStatus = status;
        decision.OutcomeRecords = 4;
        decision.OutcomeAmount = 1.25m;
        decision.OutcomeDetail = "done";
        decision.OutcomeAt = Now.AddSeconds(3);
        db.Entry(decision).Property<int>("Version").CurrentValue++;
    }

    public void Dispose() => _database.Dispose();

    private SqliteRowWriter Writer() => new(new DatabaseConnection(DatabaseProvider.Sqlite, _database.ConnectionString, _database.Folder), SqliteConnectionPragmas.Instance);

    private static DecisionRecord Decision(string id, string? idempotencyKey) => new()
    {
        Id = id,
        AgentId = "agt_rows",
        DecidedAt = Now,
        Tool = "crm.read",
        Operation = "read",
        Resource = "crm/accounts/42",
        Parameters = "{\"id\":42}",
        Records = 3,
        Amount = 12.5m,
        Currency = "EUR",
        ImpactDeclared = ImpactFigures.All,
        Justification = "A customer asked.",
        Outcome = DecisionOutcome.Allow,
        State = DecisionState.Allowed,
        Reasons = "[{\"code\":\"allowed_by_autonomy\"}]",
        RiskTier = "low",
        PolicyVersion = "default-5",
        MatchedRuleId = "allow-reads",
        OtherRuleIds = "a b",
        IsViolation = true,
        ViolationSeverity = ViolationSeverity.High,
        RequestDigest = new string('a', 64),
        IdempotencyKey = idempotencyKey,
        RequiredApprovals = 2,
        ExpiresAt = Now.AddMinutes(5),
        OutcomeAmount = 0.0001m,
    };

    private static ApprovalRequest Approval(string decisionId) => ApprovalRequest.Open(
        decisionId, "agt_rows", new UserId("owner-1"), new UserId("owner-2"), requiredApprovals: 2, RiskTier.High, "hold-changes",
        Now, Now.AddMinutes(30), [Roles.SecurityOfficer], previewDigest: new string('b', 64));

    /// <summary>Every column of one row, as SQLite stores it: its storage class and its value.</summary>
    private async Task<Dictionary<string, (string Type, object? Value)>> RowAsync(string table, object id, string key = "Id")
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await info.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
                columns.Add(reader.GetString(0));
        }
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"typeof(\"{c}\"), \"{c}\""))} FROM \"{table}\" WHERE \"{key}\" = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var row = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        (await row.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeTrue($"{table} has no row {id}");
        return columns.Select((c, i) => (c, (row.GetString(2 * i), row.IsDBNull(2 * i + 1) ? null : row.GetValue(2 * i + 1))))
            .ToDictionary(c => c.c, c => c.Item2);
    }
}
