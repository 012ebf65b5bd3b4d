using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Approvals;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>
/// Puts versions in force. A version that widens what agents may do (a replayed decision goes from
/// deny or pending to allow) is published only when a second officer approves it.
/// </summary>
public sealed class PolicyPublicationService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    PolicyYamlLoader loader,
    PolicyChecker checker,
    PolicyReplay replay,
    PolicyStore store,
    PublishedPolicy published,
    AuditWriter audit,
    TimeProvider clock)
{
    /// <summary>How old a background replay may be for a publication to rest on it (the decisions since are replayed at publishing).</summary>
    public static readonly TimeSpan ReplayReuseAge = TimeSpan.FromHours(24);

    /// <summary>
    /// Puts a version in force (an earlier one too: that is a rollback). The last seven days are
    /// replayed first; if anything would be allowed that was not, the publication waits for a second
    /// officer, otherwise it takes effect at once.
    /// </summary>
    public async Task<Result<PublishResult>> PublishAsync(int versionId, string? reason, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var access = await guard.RequireStepUpAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return PolicyServiceErrors.ReasonRequired;
        if (reason.Length > PolicyService.MaxCommentLength)
            return PolicyServiceErrors.CommentTooLong;
        await using var db = contexts.CreateDbContext();
        var version = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct);
        if (version is null)
            return PolicyServiceErrors.NotFound;
        if (PolicyVersion.Hash(version.Content) != version.ContentHash)
            return PolicyServiceErrors.ChangedOutsideWarden;
        var check = await checker.CheckAsync(version.Content, ct);
        if (!check.Publishable)
            return PolicyServiceErrors.NotPublishable(check);
        if (await db.PolicyPublications.AnyAsync(p => p.VersionId == versionId && p.State == PublicationState.AwaitingSecondOfficer, ct))
            return PolicyServiceErrors.AlreadyAwaiting;
        var candidate = loader.Load(version.Content).Value;
        var now = clock.GetUtcNow();
        var (report, replayId) = await ReplayBeforePublishingAsync(db, versionId, candidate, now, progress, ct);
        var actor = access.Value;
        var publication = new PolicyPublication
        {
            VersionId = versionId,
            State = report.Widened > 0 ? PublicationState.AwaitingSecondOfficer : PublicationState.Published,
            RequestedBy = actor.Id.Value,
            RequestedByName = actor.Name,
            RequestedAt = now,
            Reason = reason,
            Replayed = report.Replayed,
            Widened = report.Widened,
            Narrowed = report.Narrowed,
            PublishedAt = report.Widened > 0 ? null : now,
        };
        db.PolicyPublications.Add(publication);
        await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email),
            publication.State == PublicationState.Published ? "policy.published" : "policy.publication_requested", $"policy:{versionId}", new
            {
                version = versionId,
                label = version.Label,
                hash = version.ContentHash,
                reason,
                replayed = report.Replayed,
                widened = report.Widened,
                narrowed = report.Narrowed,
                replay = replayId,
            })], ct);
        if (publication.State == PublicationState.Published)
            store.Put(publication.Id, versionId, candidate);
        return new PublishResult(PublicationView.Of(publication, version.Label), report, replayId);
    }

    /// <summary>A second officer (not the one who asked) puts a widening version in force, or refuses it with a reason.</summary>
    public async Task<Result<PublicationView>> DecidePublicationAsync(int publicationId, bool approve, string? reason, CancellationToken ct = default)
    {
        var access = await guard.RequireStepUpAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        reason = reason?.Trim();
        if (!approve && string.IsNullOrEmpty(reason))
            return PolicyServiceErrors.ReasonRequired;
        var actor = access.Value;
        await using var db = contexts.CreateDbContext();
        var publication = await db.PolicyPublications.SingleOrDefaultAsync(p => p.Id == publicationId, ct);
        if (publication is null)
            return PolicyServiceErrors.NotFound;
        if (publication.State != PublicationState.AwaitingSecondOfficer)
            return PolicyServiceErrors.NotAwaiting(publication.State);
        // The second officer is another person: another account sharing the requester's mailbox is the same one.
        var requesterEmail = await db.Users.AsNoTracking().Where(u => u.Id == publication.RequestedBy).Select(u => u.Email).SingleOrDefaultAsync(ct);
        if (publication.RequestedBy == actor.Id.Value
            || (requesterEmail is not null && Voter.Mailbox(requesterEmail) == Voter.Mailbox(actor.Email)))
            return PolicyServiceErrors.SamePerson;
        // Its replay compared the version with the policy in force when it was requested; approving it
        // over a version published since would undo that one unseen.
        if (approve && await db.PolicyPublications.AnyAsync(p => p.State == PublicationState.Published && p.PublishedAt > publication.RequestedAt, ct))
            return PolicyServiceErrors.Superseded;
        var version = await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Id == publication.VersionId, ct);
        if (approve && PolicyVersion.Hash(version.Content) != version.ContentHash)
            return PolicyServiceErrors.ChangedOutsideWarden;
        var candidate = loader.Load(version.Content);
        if (candidate.IsFailure)
            return PolicyServiceErrors.NotPublishable(await checker.CheckAsync(version.Content, ct));
        var now = clock.GetUtcNow();
        publication.State = approve ? PublicationState.Published : PublicationState.Rejected;
        publication.SecondOfficerId = actor.Id.Value;
        publication.SecondOfficerName = actor.Name;
        publication.PublishedAt = approve ? now : null;
        publication.RejectionReason = approve ? null : reason;
        db.Entry(publication).Property<int>("Version").CurrentValue++;
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email),
                approve ? "policy.published" : "policy.publication_rejected", $"policy:{publication.VersionId}", new
                {
                    version = publication.VersionId,
                    label = version.Label,
                    hash = version.ContentHash,
                    requestedBy = publication.RequestedByName,
                    secondOfficer = actor.Name,
                    reason,
                    widened = publication.Widened,
                })], ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return PolicyServiceErrors.NotAwaiting(PublicationState.Published);
        }
        if (approve)
            store.Put(publication.Id, publication.VersionId, candidate.Value);
        return PublicationView.Of(publication, version.Label);
    }

    /// <summary>
    /// The replay a publication rests on. A completed background replay of this version over a full
    /// default window, against the publication still in force, is used, with only the decisions
    /// recorded since it ended replayed now; otherwise the whole default window is replayed here.
    /// </summary>
    private async Task<(ReplayReport Report, int? ReplayId)> ReplayBeforePublishingAsync(
        WardenDbContext db, int versionId, Warden.Domain.Policies.Policy candidate, DateTimeOffset now, IProgress<int>? progress, CancellationToken ct)
    {
        var baseline = store.PublicationId;
        var runs = await db.PolicyReplays.AsNoTracking()
            .Where(r => r.VersionId == versionId && r.Status == ReplayStatus.Completed && r.BaselinePublicationId == baseline)
            .OrderByDescending(r => r.Id).Take(5).ToListAsync(ct);
        var usable = runs.FirstOrDefault(r => r.To - r.From >= PolicyReplayService.DefaultReplayWindow - TimeSpan.FromMinutes(1) && r.To <= now && now - r.To <= ReplayReuseAge);
        if (usable is not null && PolicyReplayJob.ReportOf(usable) is { } earlier)
            return (earlier.FollowedBy(await replay.RunAsync(published.Current, candidate, usable.To, now, progress, ct)), usable.Id);
        return (await replay.RunAsync(published.Current, candidate, now - PolicyReplayService.DefaultReplayWindow, now, progress, ct), null);
    }
}
