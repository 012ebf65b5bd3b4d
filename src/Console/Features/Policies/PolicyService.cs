using Hangfire;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Approvals;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Policies;

public sealed record PolicyCheck(IReadOnlyList<PolicyProblem> Problems, IReadOnlyList<PolicyTestResult> Tests)
{
    public bool Publishable => Problems.Count == 0 && Tests.Count > 0 && Tests.All(t => t.Passed);
}

public sealed record PolicyVersionView(int Id, string Label, string AuthorName, DateTimeOffset SavedAt, string Comment, string ContentHash,
                                       int Problems, int TestsPassed, int TestsFailed, bool Publishable, bool InForce, bool EverPublished);

public sealed record PublicationView(int Id, int VersionId, string VersionLabel, PublicationState State, string RequestedByName, DateTimeOffset RequestedAt,
                                     string Reason, int Replayed, int Widened, int Narrowed, string? SecondOfficerName, DateTimeOffset? PublishedAt,
                                     string? RejectionReason);

public sealed record PolicyOverview(PolicyVersionView? InForce, string? InForceContent, IReadOnlyList<PolicyVersionView> Versions,
                                    IReadOnlyList<PublicationView> Publications);

/// <param name="ReplayRunId">The background replay the publication rested on, when it used one.</param>
public sealed record PublishResult(PublicationView Publication, ReplayReport Replay, int? ReplayRunId = null);

/// <summary>A background replay as people see it; <see cref="Report"/> only when asked for one run and it completed.</summary>
public sealed record ReplayRunView(int Id, int VersionId, string VersionLabel, DateTimeOffset From, DateTimeOffset To, ReplayStatus Status,
                                   int Progress, int? Total, string RequestedByName, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt,
                                   string? BaselineLabel, string? Error, ReplayReport? Report)
{
    public bool IsFinished => Status is ReplayStatus.Completed or ReplayStatus.Failed;

    /// <summary>0–100 once the job knows how many decisions the window holds.</summary>
    public double? Percent => Total is { } total && total > 0 ? Math.Min(100, Progress * 100.0 / total) : Status == ReplayStatus.Completed ? 100 : null;
}

/// <summary>
/// Policies as people work on them: everyone who may see agents reads the policies; officers check,
/// save, replay and publish. A version that widens what agents may do (a replayed decision goes from
/// deny or pending to allow) is published only when a second officer approves it.
/// </summary>
public sealed class PolicyService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    PolicyYamlLoader loader,
    PolicyReplay replay,
    PolicyStore store,
    PublishedPolicy published,
    AuditWriter audit,
    IBackgroundJobClient jobs,
    TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner];
    public static readonly string[] ReplayReaders = [Roles.SecurityOfficer, Roles.Auditor];
    public const int RecentReplays = 10;
    public static readonly TimeSpan DefaultReplayWindow = TimeSpan.FromDays(7);
    /// <summary>How old a background replay may be for a publication to rest on it (the decisions since are replayed at publishing).</summary>
    public static readonly TimeSpan ReplayReuseAge = TimeSpan.FromHours(24);
    public const int MaxCommentLength = 1000;

    public async Task<Result<PolicyOverview>> GetOverviewAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var versions = await db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Id).Take(200).ToListAsync(ct);
        var publications = await db.PolicyPublications.AsNoTracking().OrderByDescending(p => p.Id).Take(200).ToListAsync(ct);
        var inForce = publications.Where(p => p.State == PublicationState.Published)
            .OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id).FirstOrDefault();
        var published = publications.Where(p => p.State == PublicationState.Published).Select(p => p.VersionId).ToHashSet();
        var views = versions.Select(v => View(v, inForce?.VersionId == v.Id, published.Contains(v.Id))).ToList();
        var labels = versions.ToDictionary(v => v.Id, v => v.Label);
        var content = inForce is null ? null : versions.FirstOrDefault(v => v.Id == inForce.VersionId)?.Content
            ?? await db.PolicyVersions.AsNoTracking().Where(v => v.Id == inForce.VersionId).Select(v => v.Content).SingleOrDefaultAsync(ct);
        return new PolicyOverview(views.FirstOrDefault(v => v.InForce), content, views,
                                  publications.Select(p => View(p, labels.GetValueOrDefault(p.VersionId, $"#{p.VersionId}"))).ToList());
    }

    public async Task<Result<string>> GetContentAsync(int versionId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var content = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Content).SingleOrDefaultAsync(ct);
        return content is null ? PolicyServiceErrors.NotFound : content;
    }

    /// <summary>Validates a document (syntax, fields, names against the directory, unreachable rules) and runs its test cases; nothing is saved.</summary>
    public async Task<Result<PolicyCheck>> CheckAsync(string yaml, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        return await CheckDocumentAsync(yaml, ct);
    }

    /// <summary>Saves a new version, whatever its problems (so work is never lost); only a valid version whose tests pass can be published.</summary>
    public async Task<Result<PolicyVersionView>> SaveAsync(string yaml, string? comment, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        comment = comment?.Trim();
        if (string.IsNullOrEmpty(comment))
            return PolicyServiceErrors.CommentRequired;
        if (comment.Length > MaxCommentLength)
            return PolicyServiceErrors.CommentTooLong;
        if (string.IsNullOrWhiteSpace(yaml) || yaml.Length > PolicyYamlLoader.MaxDocumentLength)
            return PolicyServiceErrors.EmptyOrTooLarge;
        var check = await CheckDocumentAsync(yaml, ct);
        var document = loader.Compile(yaml);
        var actor = access.Value;
        var version = new PolicyVersion
        {
            Label = Fit(document.Version.Length > 0 ? document.Version : "(unreadable)", 64),
            Content = yaml,
            ContentHash = PolicyVersion.Hash(yaml),
            AuthorId = actor.Id.Value,
            AuthorName = actor.Name,
            SavedAt = clock.GetUtcNow(),
            Comment = comment,
            Problems = check.Problems.Count,
            TestsPassed = check.Tests.Count(t => t.Passed),
            TestsFailed = check.Tests.Count(t => !t.Passed),
        };
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), "policy.saved", $"policy:{version.Id}", new
        {
            version = version.Id,
            label = version.Label,
            hash = version.ContentHash,
            comment,
            problems = version.Problems,
            testsPassed = version.TestsPassed,
            testsFailed = version.TestsFailed,
        })], ct);
        await transaction.CommitAsync(ct);
        return View(version, inForce: false, everPublished: false);
    }

    /// <summary>
    /// Queues a replay of <paramref name="versionId"/> over the decisions recorded between
    /// <paramref name="from"/> and <paramref name="to"/> as a background job; a replay of the same
    /// version and window already under way is returned instead of starting another.
    /// </summary>
    public async Task<Result<ReplayRunView>> StartReplayAsync(int versionId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(ReplayReaders);
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
            return View(same);
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
        return View(run);
    }

    /// <summary>One replay: how far it got, and its report once done (or why it failed).</summary>
    public async Task<Result<ReplayRunView>> GetReplayAsync(int replayId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(ReplayReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var run = await db.PolicyReplays.AsNoTracking().SingleOrDefaultAsync(r => r.Id == replayId, ct);
        return run is null ? PolicyServiceErrors.NotFound : View(run, withReport: true);
    }

    /// <summary>The latest replays, newest first, without their reports.</summary>
    public async Task<Result<IReadOnlyList<ReplayRunView>>> GetReplaysAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(ReplayReaders);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var runs = await db.PolicyReplays.AsNoTracking().OrderByDescending(r => r.Id).Take(RecentReplays).ToListAsync(ct);
        return runs.Select(r => View(r)).ToList();
    }

    /// <summary>
    /// Puts a version in force (an earlier one too: that is a rollback). The last seven days are
    /// replayed first; if anything would be allowed that was not, the publication waits for a second
    /// officer, otherwise it takes effect at once.
    /// </summary>
    public async Task<Result<PublishResult>> PublishAsync(int versionId, string? reason, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return PolicyServiceErrors.ReasonRequired;
        if (reason.Length > MaxCommentLength)
            return PolicyServiceErrors.CommentTooLong;
        await using var db = contexts.CreateDbContext();
        var version = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct);
        if (version is null)
            return PolicyServiceErrors.NotFound;
        var check = await CheckDocumentAsync(version.Content, ct);
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
            store.Put(publication.Id, candidate);
        return new PublishResult(View(publication, version.Label), report, replayId);
    }

    /// <summary>A second officer (not the one who asked) puts a widening version in force, or refuses it with a reason.</summary>
    public async Task<Result<PublicationView>> DecidePublicationAsync(int publicationId, bool approve, string? reason, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Roles.SecurityOfficer);
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
        var candidate = loader.Load(version.Content);
        if (candidate.IsFailure)
            return PolicyServiceErrors.NotPublishable(await CheckDocumentAsync(version.Content, ct));
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
            store.Put(publication.Id, candidate.Value);
        return View(publication, version.Label);
    }

    /// <summary>A line diff between two versions: each line with '+', '-' or ' '.</summary>
    public async Task<Result<IReadOnlyList<DiffLine>>> DiffAsync(int fromVersionId, int toVersionId, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var contents = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == fromVersionId || v.Id == toVersionId)
            .ToDictionaryAsync(v => v.Id, v => v.Content, ct);
        if (!contents.TryGetValue(fromVersionId, out var before) || !contents.TryGetValue(toVersionId, out var after))
            return PolicyServiceErrors.NotFound;
        return Result.Success(LineDiff.Between(before, after));
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
        var usable = runs.FirstOrDefault(r => r.To - r.From >= DefaultReplayWindow - TimeSpan.FromMinutes(1) && r.To <= now && now - r.To <= ReplayReuseAge);
        if (usable is not null && PolicyReplayJob.ReportOf(usable) is { } earlier)
            return (earlier.FollowedBy(await replay.RunAsync(published.Current, candidate, usable.To, now, progress, ct)), usable.Id);
        return (await replay.RunAsync(published.Current, candidate, now - DefaultReplayWindow, now, progress, ct), null);
    }

    private async Task<PolicyCheck> CheckDocumentAsync(string yaml, CancellationToken ct)
    {
        var document = loader.Compile(yaml);
        if (document.Policy is not { } policy)
            return new PolicyCheck(document.Problems, []);
        var problems = PolicyValidator.Check(document, await CatalogAsync(ct));
        return new PolicyCheck(problems, PolicyTestRunner.Run(policy, document.Tests));
    }

    private async Task<PolicyCatalog> CatalogAsync(CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var agents = await db.Agents.AsNoTracking().Select(a => new { a.Tools, a.Segment }).ToListAsync(ct);
        return new PolicyCatalog(
            agents.SelectMany(a => a.Tools.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal),
            agents.Select(a => a.Segment).ToHashSet(StringComparer.Ordinal));
    }

    private async Task<Result<Warden.Domain.Policies.Policy>> CompiledAsync(int versionId, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var content = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Content).SingleOrDefaultAsync(ct);
        if (content is null)
            return PolicyServiceErrors.NotFound;
        var policy = loader.Load(content);
        return policy.IsSuccess ? policy.Value : PolicyServiceErrors.NotPublishable(await CheckDocumentAsync(content, ct));
    }

    private static ReplayRunView View(PolicyReplayRun r, bool withReport = false) =>
        new(r.Id, r.VersionId, r.VersionLabel, r.From, r.To, r.Status, r.Progress, r.Total, r.RequestedByName, r.RequestedAt, r.FinishedAt,
            r.BaselineLabel, r.Error, withReport ? PolicyReplayJob.ReportOf(r) : null);

    private static PolicyVersionView View(PolicyVersion v, bool inForce, bool everPublished) =>
        new(v.Id, v.Label, v.AuthorName, v.SavedAt, v.Comment, v.ContentHash, v.Problems, v.TestsPassed, v.TestsFailed, v.Publishable, inForce, everPublished);

    private static PublicationView View(PolicyPublication p, string label) =>
        new(p.Id, p.VersionId, label, p.State, p.RequestedByName, p.RequestedAt, p.Reason, p.Replayed, p.Widened, p.Narrowed,
            p.SecondOfficerName, p.PublishedAt, p.RejectionReason);

    private static string Fit(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

public static class PolicyServiceErrors
{
    public static readonly Error NotFound = new("policy.not_found", "There is no such policy version or publication.");
    public static readonly Error CommentRequired = new("policy.comment_required", "Say what this version changes and why.");
    public static readonly Error ReasonRequired = new("policy.reason_required", "Give a reason; it is recorded in the audit log.");
    public static readonly Error CommentTooLong = new("policy.comment_too_long", $"A comment or reason has at most {PolicyService.MaxCommentLength} characters.");
    public static readonly Error EmptyOrTooLarge = new("policy.empty_or_too_large", $"A policy document is not empty and has at most {PolicyYamlLoader.MaxDocumentLength:N0} characters.");
    public static readonly Error EmptyWindow = new("policy.empty_window", "The replay window must end after it starts.");
    public static readonly Error AlreadyAwaiting = new("policy.already_awaiting", "This version already waits for a second officer.");
    public static readonly Error SamePerson = new("policy.same_officer", "A second officer approves this publication, not the one who asked for it.");
    public static readonly Error Superseded = new("policy.superseded",
        "Another version was published after this request, so its replay no longer compares with the policy in force; reject it and request publication again.");

    public static Error NotAwaiting(PublicationState state) =>
        new("policy.not_awaiting", $"This publication is {state switch { PublicationState.Published => "published already", PublicationState.Rejected => "rejected", _ => "not waiting" }}.");

    public static Error NotPublishable(PolicyCheck check) =>
        new("policy.not_publishable", check.Problems.Count > 0
            ? $"The version has {check.Problems.Count} problem{(check.Problems.Count == 1 ? "" : "s")}; the first: {check.Problems[0]}"
            : check.Tests.Count == 0
                ? "The version has no test cases; add some under 'tests' before publishing."
                : $"{check.Tests.Count(t => !t.Passed)} test case(s) fail; the first: {check.Tests.First(t => !t.Passed).Case.Name}: {check.Tests.First(t => !t.Passed).Failure}");
}
