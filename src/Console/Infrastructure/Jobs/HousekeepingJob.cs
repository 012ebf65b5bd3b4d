using Hangfire;
using Microsoft.EntityFrameworkCore;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Infrastructure.Jobs;

/// <summary>
/// Hourly upkeep: folds the SQLite write-ahead log back into the database, refreshes the query
/// planner's statistics and trims its own history. Safe to run twice; each run is recorded.
/// </summary>
public sealed class HousekeepingJob(IDbContextFactory<WardenDbContext> contexts, DatabaseConnection connection, TimeProvider clock)
{
    public const string RecurringJobId = "housekeeping";
    private static readonly TimeSpan HistoryKept = TimeSpan.FromDays(30);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 1)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var detail = connection.Provider == DatabaseProvider.Sqlite
            ? await CompactSqliteAsync(db, cancellationToken)
            : "nothing to compact";

        var cutoff = startedAt - HistoryKept;
        var trimmed = await db.HousekeepingRuns.Where(r => r.StartedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        db.HousekeepingRuns.Add(new HousekeepingRun
        {
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
            Detail = $"{detail}; {trimmed} old run(s) trimmed",
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
