using Hangfire;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>Replays of a version over recorded decisions, run in the background; officers and auditors start and read them.</summary>
public sealed class PolicyReplayService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    PolicyYamlLoader loader,
    PolicyChecker checker,
    IBackgroundJobClient jobs,
    TimeProvider clock)
{
    public static readonly string[] ReplayReaders = [Roles.SecurityOfficer, Roles.Auditor];
    public const int RecentReplays = 10;
    public static readonly TimeSpan DefaultReplayWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// Queues a replay of <paramref name="versionId"/> over the decisions recorded between
    /// <paramref name="from"/> and <paramref name="to"/> as a background job; a replay of the same
    /// version and window already under way is returned instead of starting another.
    /// </summary>
    public async Task<Result<ReplayRunView>> StartReplayAsync(int versionId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(ReplayReaders);
        if (access.IsFailure)
            return access.Error;
        if (to <= from)
            return PolicyServiceErrors.EmptyWindow;
        var candidate = await CompiledAsync(versionId, ct);
        if (candidate.IsFailure)
            return candidate.Error;
        await using var db = contexts.CreateDbContext();
        var underWay = await db.PolicyReplays.AsNoTracking()
            .Where(r => r.VersionId == versionId && (r.Status == ReplayStatus.Queued || r.Status == ReplayStatus.Running))
            .OrderByDescending(r => r.Id).ToListAsync(ct);
        if (underWay.FirstOrDefault(r => Math.Abs((r.From - from).TotalMinutes) < 1 && Math.Abs((r.To - to).TotalMinutes) < 1) is { } same)
            return ReplayRunView.Of(same);
        var actor = access.Value;
        var run = new PolicyReplayRun
        {
            VersionId = versionId,
            VersionLabel = candidate.Value.Version,
            From = from,
            To = to,
            Status = ReplayStatus.Queued,
            RequestedBy = actor.Id.Value,
            RequestedByName = actor.Name,
            RequestedAt = clock.GetUtcNow(),
        };
        db.PolicyReplays.Add(run);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<PolicyReplayJob>(job => job.RunAsync(run.Id, CancellationToken.None));
        return ReplayRunView.Of(run);
    }

    /// <summary>One replay: how far it got, and its report once done (or why it failed).</summary>
    public async Task<Result<ReplayRunView>> GetReplayAsync(int replayId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(ReplayReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var run = await db.PolicyReplays.AsNoTracking().SingleOrDefaultAsync(r => r.Id == replayId, ct);
        return run is null ? PolicyServiceErrors.NotFound : ReplayRunView.Of(run, withReport: true);
    }

    /// <summary>The latest replays, newest first, without their reports.</summary>
    public async Task<Result<IReadOnlyList<ReplayRunView>>> GetReplaysAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(ReplayReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var runs = await db.PolicyReplays.AsNoTracking().OrderByDescending(r => r.Id).Take(RecentReplays).ToListAsync(ct);
        return runs.Select(r => ReplayRunView.Of(r)).ToList();
    }

    private async Task<Result<Warden.Domain.Policies.Policy>> CompiledAsync(int versionId, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var content = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Content).SingleOrDefaultAsync(ct);
        if (content is null)
            return PolicyServiceErrors.NotFound;
        var policy = loader.Load(content);
        return policy.IsSuccess ? policy.Value : PolicyServiceErrors.NotPublishable(await checker.CheckAsync(content, ct));
    }
}
