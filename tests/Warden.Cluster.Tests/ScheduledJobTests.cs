using System.Diagnostics;
using Warden.Cluster.Tests.Support;

namespace Warden.Cluster.Tests;

/// <summary>
/// Issue 17, point 5: with Hangfire on PostgreSQL, a recurring job fires once per occurrence across
/// instances, and a scheduled evidence pack is built once, whichever instance picks it up.
/// </summary>
public sealed class ScheduledJobTests : IAsyncLifetime
{
    private const string DefinitionId = "evd_cluster_once";
    private const int Occurrences = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly PostgresServer _server = new();

    public ValueTask InitializeAsync() => _server.InitializeAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ScheduledEvidencePack_WithTwoInstancesPolling_FiresOncePerOccurrenceAndIsBuiltOnce()
    {
        await using var cluster = await WardenCluster.StartAsync(_server, instances: 2, demo: false);
        // A definition due every five seconds (Hangfire takes a seconds field), over yesterday's records.
        await cluster.ScalarAsync<int>($"""
            INSERT INTO "EvidenceDefinitions" ("Id", "Name", "Scope", "Period", "Cron", "TimeZone", "RecipientRoles", "RetentionDays",
                                               "CreatedBy", "CreatedAt", "UpdatedAt")
            VALUES ('{DefinitionId}', 'Cluster once', 'Everything', 'Daily', '*/5 * * * * *', 'UTC', 'Auditor', 30, 'cluster-test', now(), now())
            RETURNING 1
            """);
        // An instance schedules the definitions it finds when it starts; the schedule lives in the shared job storage.
        await cluster.B.RestartAsync();

        var clock = Stopwatch.StartNew();
        while (await FiredAsync(cluster) < Occurrences || await PacksAsync(cluster, "Completed") < 1)
        {
            clock.Elapsed.ShouldBeLessThan(Patience, $"fired {await FiredAsync(cluster)} times, packs: {await PacksAsync(cluster, null)}\n{cluster.Output}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        var occurrences = await cluster.ColumnAsync<string>($"""
            SELECT time.value FROM hangfire.jobparameter time
            JOIN hangfire.jobparameter recurring ON recurring.jobid = time.jobid
            WHERE time.name = 'Time' AND recurring.name = 'RecurringJobId' AND recurring.value = '"evidence-{DefinitionId}"'
            """);
        occurrences.Count.ShouldBeGreaterThanOrEqualTo(Occurrences);
        occurrences.ShouldBeUnique("each occurrence is enqueued by one instance only");
        (await PacksAsync(cluster, null)).ShouldBe(1, cluster.Output);
        (await PacksAsync(cluster, "Completed")).ShouldBe(1, cluster.Output);
        (await cluster.ScalarAsync<long>("""SELECT count(*) FROM "AuditEvents" WHERE "Kind" = 'evidence.generated'""")).ShouldBe(1);
    }

    private static Task<long> FiredAsync(WardenCluster cluster) => cluster.ScalarAsync<long>($"""
        SELECT count(*) FROM hangfire.jobparameter WHERE name = 'RecurringJobId' AND value = '"evidence-{DefinitionId}"'
        """);

    private static Task<long> PacksAsync(WardenCluster cluster, string? status) => cluster.ScalarAsync<long>(
        $"""SELECT count(*) FROM "EvidencePacks" WHERE "DefinitionId" = '{DefinitionId}'""" + (status is null ? "" : $""" AND "Status" = '{status}'"""));
}
