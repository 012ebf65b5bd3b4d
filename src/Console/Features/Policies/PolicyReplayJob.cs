using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>
/// Runs a queued replay in the background. A run is claimed by moving it from queued to running in
/// one update, so two workers never replay it twice; its progress is written after every batch, so
/// any page (or another instance) can show how far it got; it ends completed with its report or
/// failed with the reason.
/// </summary>
public sealed partial class PolicyReplayJob(
    IDbContextFactory<WardenDbContext> contexts,
    PolicyReplay replay,
    PolicyYamlLoader loader,
    PublishedPolicy published,
    PolicyStore store,
    TimeProvider clock,
    ILogger<PolicyReplayJob> logger)
{
    /// <summary>A run still "running" this long after it started was lost with its server; a retry of the job takes it over.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(30);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RunAsync(int replayId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var now = clock.GetUtcNow();
        var abandonedBefore = now - Abandoned;
        var claimed = await db.PolicyReplays
            .Where(r => r.Id == replayId && (r.Status == ReplayStatus.Queued || (r.Status == ReplayStatus.Running && r.StartedAt < abandonedBefore)))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReplayStatus.Running).SetProperty(r => r.StartedAt, now).SetProperty(r => r.Progress, 0), cancellationToken);
        if (claimed == 0)
            return;
        var run = await db.PolicyReplays.SingleAsync(r => r.Id == replayId, cancellationToken);
        try
        {
            var content = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == run.VersionId).Select(v => v.Content).SingleAsync(cancellationToken);
            var candidate = loader.Load(content);
            if (candidate.IsFailure)
            {
                Finish(run, ReplayStatus.Failed, error: $"Version {run.VersionId} does not load, so it cannot be replayed: {candidate.Error.Message}");
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            // The baseline is what is in force now; a publication after this makes the result stale for publishing.
            (run.BaselinePublicationId, var baseline) = (store.PublicationId, published.Current);
            run.BaselineLabel = baseline.Version;
            run.Total = await replay.CountAsync(run.From, run.To, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);

            var report = await replay.RunAsync(baseline, candidate.Value, run.From, run.To, (done, token) =>
                db.PolicyReplays.Where(r => r.Id == replayId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Progress, done), token), cancellationToken);
            run.Progress = report.Replayed + report.Skipped;
            Finish(run, ReplayStatus.Completed, result: JsonSerializer.Serialize(report, Json));
        }
        catch (OperationCanceledException)
        {
            // Stopping the server must not leave the run "running" for ever: it fails and can be started again.
            Finish(run, ReplayStatus.Failed, error: "The replay was interrupted before it finished (the server stopped); start it again.");
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            ReplayLog.Failed(logger, ex, replayId);
            Finish(run, ReplayStatus.Failed, error: $"The replay failed: {ex.Message}");
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    internal static ReplayReport? ReportOf(PolicyReplayRun run) =>
        run.Result is { } json ? JsonSerializer.Deserialize<ReplayReport>(json, Json) : null;

    private void Finish(PolicyReplayRun run, ReplayStatus status, string? result = null, string? error = null)
    {
        run.Status = status;
        run.Result = result;
        run.Error = error is { Length: > 2000 } ? error[..1999] + "…" : error;
        run.FinishedAt = clock.GetUtcNow();
    }
}

internal static partial class ReplayLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Policy replay {ReplayId} failed.")]
    public static partial void Failed(ILogger logger, Exception exception, int replayId);
}
