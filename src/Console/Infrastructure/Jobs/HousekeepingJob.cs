using Hangfire;
using Microsoft.EntityFrameworkCore;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Infrastructure.Jobs;

/// <summary>
/// Hourly upkeep: folds the SQLite write-ahead log back into the database, refreshes the query
/// planner's statistics, forgets used client assertions long past their expiry (the token endpoint
/// refuses an expired assertion by its lifetime alone) and trims its own history. Safe to run twice;
/// each run is recorded.
/// </summary>
public sealed class HousekeepingJob(IDbContextFactory<WardenDbContext> contexts, DatabaseConnection connection, TimeProvider clock)
{
    public const string RecurringJobId = "housekeeping";
    private static readonly TimeSpan HistoryKept = TimeSpan.FromDays(30);

    /// <summary>Well past any clock skew the token endpoint allows an assertion's expiry.</summary>
    public static readonly TimeSpan AssertionsKeptAfterExpiry = TimeSpan.FromHours(1);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 1)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var detail = connection.Provider == DatabaseProvider.Sqlite
            ? await CompactSqliteAsync(db, cancellationToken)
            : "nothing to compact";

        var assertionCutoff = startedAt - AssertionsKeptAfterExpiry;
        var assertions = await db.Set<UsedClientAssertion>().Where(a => a.ExpiresAt < assertionCutoff).ExecuteDeleteAsync(cancellationToken);
        var cutoff = startedAt - HistoryKept;
        var trimmed = await db.HousekeepingRuns.Where(r => r.StartedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        db.HousekeepingRuns.Add(new HousekeepingRun
        {
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
            Detail = $"{detail}; {assertions} expired client assertion(s) forgotten; {trimmed} old run(s) trimmed",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<string> CompactSqliteAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;", cancellationToken);
        return "write-ahead log checkpointed, statistics refreshed";
    }
}
