using System.Net;
using System.Text.Json;
using Warden.Cluster.Tests.Support;

namespace Warden.Cluster.Tests;

/// <summary>Two instances started together on one fresh database, shared by the tests of the class.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public PostgresServer Server { get; } = new();

    public WardenCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        Cluster = await WardenCluster.StartAsync(Server, instances: 2);
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Two real app processes on one PostgreSQL database behave as one console: a token from one works
/// on the other, one audit chain however decisions are split, a trip on one instance refuses the agent on the other at once, and an agent's
/// rate limit holds across both.
/// </summary>
public sealed class TwoInstanceTests(TwoInstances two) : IClassFixture<TwoInstances>
{
    private const string CodeReview = "agt_demo_codereview";
    private const string Payments = "agt_demo_payments";
    // Only the test of a decision withdrawn on notice uses the helpdesk agent, and it leaves it active.
    private const string Helpdesk = "agt_demo_helpdesk";

    private WardenCluster Cluster => two.Cluster;

    [Fact]
    public async Task DecisionsSplitOverBothInstances_LeaveOneUnbrokenChain_WithNoRequestFailed()
    {
        // Within the support agent's own limit (120 a minute): an agent's limits change only through Warden.
        const int requests = 110;
        // One token, minted by A, used on both: the instances share their signing keys.
        var onA = await AgentClient.SignInAsync(Cluster.A);
        var onB = onA.On(Cluster.B);
        var before = await Cluster.ScalarAsync<long>("""SELECT COALESCE(MAX("Sequence"), 0) FROM "AuditEvents" """);

        var answers = new List<(HttpStatusCode Status, string Body, string Instance)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var agent = i % 2 == 0 ? onA : onB;
            using var response = await agent.DecideAsync(AgentClient.ReadTicket(1000 + i));
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            lock (answers)
                answers.Add((response.StatusCode, body, agent.Instance.Name));
        });

        var failed = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        failed.ShouldBeEmpty($"{failed.Count} of {answers.Count} failed, e.g. {failed.FirstOrDefault()}\n{Cluster.Output}");
        answers.ShouldAllBe(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("outcome").GetString() == "allow");
        answers.Select(a => a.Instance).Distinct().Count().ShouldBe(2);
        await ShouldBeOneUnbrokenChainAsync();
        var decided = await Cluster.ScalarAsync<long>(
            $"""SELECT COUNT(*) FROM "AuditEvents" WHERE "Sequence" > {before} AND "Kind" = 'decision.allowed' AND "Subject" = '{AgentClient.Support}'""");
        decided.ShouldBeGreaterThanOrEqualTo(requests);
    }

    [Fact]
    public async Task ABreakerTrippedOnA_RefusesTheAgentOnB_AndNoAllowIsRecordedAfterTheTrip()
    {
        var onA = await AgentClient.SignInAsync(Cluster.A, CodeReview);
        var onB = await AgentClient.SignInAsync(Cluster.B, CodeReview);
        (await onB.DecideOkAsync(ReadRepo(0))).GetProperty("outcome").GetString().ShouldBe("allow");

        // B keeps asking while A's agent makes violations until A's breaker trips it.
        using var stop = new CancellationTokenSource();
        var sent = new List<(long Started, HttpStatusCode Status, string Body)>();
        var cancel = TestContext.Current.CancellationToken;
        var traffic = Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = await onB.DecideAsync(ReadRepo(i));
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                lock (sent)
                    sent.Add((started, response.StatusCode, body));
            }
        }, cancel);
        long? trippedAt = null;
        for (var i = 0; i < 40 && trippedAt is null; i++)
        {
            using var violation = await onA.DecideAsync(new { tool = "payments.send", operation = "execute", resource = "payments/1", parameters = new { invoiceId = "1" } });
            if (await ContainedAsync(CodeReview))
                trippedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }
        trippedAt.ShouldNotBeNull($"the violation breaker never tripped\n{Cluster.Output}");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await traffic;

        using (var afterwards = await onB.DecideAsync(ReadRepo(99_999)))
        {
            var text = await afterwards.Content.ReadAsStringAsync(cancel);
            afterwards.StatusCode.ShouldBe(HttpStatusCode.Forbidden, text);
            text.ShouldContain("contained");
        }
        List<(long Started, HttpStatusCode Status, string Body)> seen;
        lock (sent)
            seen = [.. sent];
        seen.Where(s => s.Started > trippedAt && s.Status == HttpStatusCode.OK && s.Body.Contains("\"outcome\":\"allow\"", StringComparison.Ordinal))
            .ShouldBeEmpty("B allowed a request that started after the trip was committed");
        var tripped = await Cluster.ScalarAsync<long>(
            """SELECT MIN(e."Sequence") FROM "AuditEvents" e JOIN "Containments" c ON c."Id" = e."Subject" WHERE e."Kind" = 'containment.tripped' AND c."Target" = 'agt_demo_codereview'""");
        var allowedAfter = await Cluster.ScalarAsync<long>(
            $"""SELECT COUNT(*) FROM "AuditEvents" WHERE "Subject" = '{CodeReview}' AND "Kind" IN ('decision.allowed', 'decision.pending') AND "Sequence" > {tripped}""");
        allowedAfter.ShouldBe(0);
        await ShouldBeOneUnbrokenChainAsync();
    }

    [Fact]
    public async Task ADecisionWaitingForItsTurnOnTheChain_IsRefusedOnTheNoticeOfItsAgentsContainment_WithoutWaitingForTheTurn()
    {
        var cancel = TestContext.Current.CancellationToken;
        var onB = await HelpdeskAllowedOnBAsync();
        var before = await Cluster.ScalarAsync<long>("""SELECT COALESCE(MAX("Sequence"), 0) FROM "AuditEvents" """);

        // A writer holding its turn on the chain (as a slow commit of another instance holds it).
        await using var holder = new Npgsql.NpgsqlConnection(Cluster.Server.ConnectionString(Cluster.Database));
        await holder.OpenAsync(cancel);
        await using var turn = await holder.BeginTransactionAsync(cancel);
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_xact_lock({Warden.Features.AuditLog.AuditWriter.ChainLockKey})", holder, turn))
            await take.ExecuteNonQueryAsync(cancel);
        var waiting = onB.DecideAsync(HelpdeskRead(1));
        await WaitForChainWaitersAsync(1);
        await Task.Delay(300, cancel);
        waiting.IsCompleted.ShouldBeFalse($"the decision should wait for its turn on the chain\n{Cluster.Output}");

        // Meanwhile the agent is contained: its row, the next state epoch and the notice naming it, as
        // an instance commits a trip. The turn on the chain is still held.
        await CommitStateAsync(Helpdesk, "Contained", turnHeld: true);
        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(4), cancel);
        var text = await answer.Content.ReadAsStringAsync(cancel);
        answer.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{text}\n{Cluster.Output}");
        text.ShouldContain("contained");
        await turn.RollbackAsync(cancel);

        var recorded = await Cluster.ScalarAsync<long>(
            $"""SELECT COUNT(*) FROM "AuditEvents" WHERE "Sequence" > {before} AND "Subject" = '{Helpdesk}' AND "Kind" LIKE 'decision.%'""");
        recorded.ShouldBe(0, "the withdrawn decision was never written");
        await ShouldBeOneUnbrokenChainAsync();
        await CommitStateAsync(Helpdesk, "Active");
    }

    /// <summary>
    /// Sets the agent's status with the next state epoch and its notice, in one commit (without an audit
    /// event of its own), in the chain's turn as the instances change state, unless the caller holds it.
    /// </summary>
    private async Task CommitStateAsync(string agentId, string status, bool turnHeld = false)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Cluster.Server.ConnectionString(Cluster.Database));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var change = new Npgsql.NpgsqlCommand(
            $"""
            {(turnHeld ? string.Empty : $"SELECT pg_advisory_xact_lock({Warden.Features.AuditLog.AuditWriter.ChainLockKey});")}
            UPDATE "Agents" SET "Status" = '{status}' WHERE "Id" = '{agentId}';
            INSERT INTO "StateChanges" ("Epoch", "Changed", "ChangedAt") SELECT COALESCE(MAX("Epoch"), 0) + 1, 'Agent', now() FROM "StateChanges";
            SELECT pg_notify('warden_state', MAX("Epoch")::text || ' Agent:{agentId}{(status == "Contained" ? $" Contained:{agentId}" : "")}') FROM "StateChanges";
            """, connection, transaction);
        await change.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Until at least <paramref name="count"/> sessions wait for the chain's advisory lock.</summary>
    private async Task WaitForChainWaitersAsync(int count)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await Cluster.ScalarAsync<long>("""SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted""") >= count)
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No writer waited for the chain's lock.\n{Cluster.Output}");
    }

    [Fact]
    public async Task ARateLimit_HoldsAcrossBothInstances()
    {
        // The payments agent's own limit: an agent's limits change only through Warden, not in the database.
        const int limit = 60;
        var onA = await AgentClient.SignInAsync(Cluster.A, Payments);
        var onB = await AgentClient.SignInAsync(Cluster.B, Payments);
        var first = await Cluster.ScalarAsync<DateTime>("SELECT now()");

        var statuses = new List<HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 3 * limit), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
        {
            var agent = i % 2 == 0 ? onA : onB;
            using var response = await agent.DecideAsync(new { tool = "invoices.read", operation = "read", resource = $"erp/invoices/{i}", parameters = new { } });
            lock (statuses)
                statuses.Add(response.StatusCode);
        });

        statuses.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBeGreaterThan(0, "the limit was never reached");
        var perMinute = await Cluster.ColumnAsync<long>(
            $"""
            SELECT COUNT(*) FROM "Decisions" WHERE "AgentId" = '{Payments}' AND "Outcome" = 'Allow'
              AND "DecidedAt" >= '{first:O}'::timestamptz - interval '1 minute'
            GROUP BY date_trunc('minute', "DecidedAt")
            """);
        perMinute.ShouldAllBe(n => n <= limit);
        perMinute.Sum().ShouldBeGreaterThanOrEqualTo(limit);
    }

    /// <summary>The helpdesk agent signed in on B, with one of its reads allowed there.</summary>
    private async Task<AgentClient> HelpdeskAllowedOnBAsync()
    {
        var onB = await AgentClient.SignInAsync(Cluster.B, Helpdesk);
        (await onB.DecideOkAsync(HelpdeskRead(0))).GetProperty("outcome").GetString().ShouldBe("allow");
        return onB;
    }

    private static object HelpdeskRead(int n) => new { tool = "tickets.read", operation = "read", resource = $"helpdesk/tickets/{n}", parameters = new { } };

    private static object ReadRepo(int n) => new { tool = "repo.read", operation = "read", resource = $"git/warden/pulls/{n}", parameters = new { } };

    private async Task<bool> ContainedAsync(string agentId) =>
        await Cluster.ScalarAsync<long>($"""SELECT COUNT(*) FROM "Agents" WHERE "Id" = '{agentId}' AND "Status" = 'Contained'""") > 0;

    private async Task ShouldBeOneUnbrokenChainAsync()
    {
        // One statement, one snapshot: the instances go on recording while this reads.
        var missing = await Cluster.ScalarAsync<long>("""SELECT COALESCE(MAX("Sequence"), 0) - COUNT(*) FROM "AuditEvents" """);
        var broken = await Cluster.ScalarAsync<long>(
            """SELECT COUNT(*) FROM "AuditEvents" e JOIN "AuditEvents" p ON p."Sequence" = e."Sequence" - 1 WHERE e."PreviousHash" <> p."Hash" """);
        missing.ShouldBe(0, "the chain has gaps");
        broken.ShouldBe(0, "an event does not link to the one before it");
    }
}
