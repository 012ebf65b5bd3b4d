using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>
/// Policy versions as people write them: everyone who may see agents reads the policies and their
/// differences; officers check and save. A version is saved whatever its problems, so work is never lost.
/// </summary>
public sealed class PolicyService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    PolicyYamlLoader loader,
    PolicyChecker checker,
    PolicyStore store,
    AuditWriter audit,
    TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner];
    public const int MaxCommentLength = 1000;

    public async Task<Result<PolicyOverview>> GetOverviewAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var versions = await db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Id).Take(200).ToListAsync(ct);
        var publications = await db.PolicyPublications.AsNoTracking().OrderByDescending(p => p.Id).Take(200).ToListAsync(ct);
        // The version the integrity check put in force, not merely the newest publication row.
        var inForceVersion = store.InForceVersionId;
        var inForce = publications.Where(p => p.State == PublicationState.Published && p.VersionId == inForceVersion)
            .OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id).FirstOrDefault();
        var published = publications.Where(p => p.State == PublicationState.Published).Select(p => p.VersionId).ToHashSet();
        var views = versions.Select(v => PolicyVersionView.Of(v, inForce?.VersionId == v.Id, published.Contains(v.Id))).ToList();
        var labels = versions.ToDictionary(v => v.Id, v => v.Label);
        var content = inForce is null ? null : versions.FirstOrDefault(v => v.Id == inForce.VersionId)?.Content
            ?? await db.PolicyVersions.AsNoTracking().Where(v => v.Id == inForce.VersionId).Select(v => v.Content).SingleOrDefaultAsync(ct);
        return new PolicyOverview(views.FirstOrDefault(v => v.InForce), content, views,
                                  publications.Select(p => PublicationView.Of(p, labels.GetValueOrDefault(p.VersionId, $"#{p.VersionId}"))).ToList());
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
        return await checker.CheckAsync(yaml, ct);
    }

    /// <summary>Saves a new version, whatever its problems (so work is never lost); only a valid version whose tests pass can be published.</summary>
    public async Task<Result<PolicyVersionView>> SaveAsync(string yaml, string? comment, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        comment = comment?.Trim();
        if (string.IsNullOrEmpty(comment))
            return PolicyServiceErrors.CommentRequired;
        if (comment.Length > MaxCommentLength)
            return PolicyServiceErrors.CommentTooLong;
        if (string.IsNullOrWhiteSpace(yaml) || yaml.Length > PolicyYamlLoader.MaxDocumentLength)
            return PolicyServiceErrors.EmptyOrTooLarge;
        var check = await checker.CheckAsync(yaml, ct);
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
        return PolicyVersionView.Of(version, inForce: false, everPublished: false);
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

    private static string Fit(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
