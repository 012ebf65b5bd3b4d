using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Policies;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>A publication that passed every check, ready to be put in force.</summary>
public sealed record VerifiedPolicy(long EventSequence, int VersionId, int PublicationId, string ContentHash, Policy Policy);

/// <summary>What <see cref="PolicyIntegrity.FindAsync"/> found: the publication to put in force (if any) and every problem met.</summary>
public sealed record PolicyIntegrityFinding(VerifiedPolicy? InForce, IReadOnlyList<(string Key, string Subject, string Message)> Problems);

/// <summary>
/// Which policy may be in force. A row in the publications table is not enough: the policy in force
/// is the version named by the newest <c>policy.published</c> event of the audit chain whose content
/// still hashes to both the hash stored with the version and the hash the event recorded. A version
/// edited in the database fails the hash; a publication row inserted in the database has no event.
/// </summary>
public static class PolicyIntegrity
{
    public const string Area = "policy";
    public const string PublishedKind = "policy.published";

    /// <summary>How many publication events are tried, newest first, before no verified policy is declared.</summary>
    public const int LookBack = 100;

    public static async Task<PolicyIntegrityFinding> FindAsync(IDbContextFactory<WardenDbContext> contexts, PolicyYamlLoader loader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(loader);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A publication committing between the reads looks like a problem once; it is read again
        // (a snapshot transaction would take SQLite's write lock on every refresh).
        for (var attempt = 0; ; attempt++)
        {
            var found = await FindOnceAsync(db, loader, cancellationToken);
            if (found.Problems.Count == 0 || attempt == 2)
                return found;
        }
    }

    private static async Task<PolicyIntegrityFinding> FindOnceAsync(WardenDbContext db, PolicyYamlLoader loader, CancellationToken cancellationToken)
    {
        var newestRow = await db.PolicyPublications.AsNoTracking()
            .Where(p => p.State == PublicationState.Published)
            .OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id)
            .Select(p => new { p.Id, p.VersionId })
            .FirstOrDefaultAsync(cancellationToken);
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Kind == PublishedKind)
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Data })
            .Take(LookBack)
            .ToListAsync(cancellationToken);

        var problems = new List<(string, string, string)>();
        VerifiedPolicy? inForce = null;
        int? newestNamed = null;
        foreach (var published in events)
        {
            if (!TryRead(published.Data, out var versionId, out var recordedHash))
            {
                problems.Add(($"{Area}:event:{published.Sequence}", "policy", $"The publication event at sequence {published.Sequence} names no version and hash; it is not in force."));
                continue;
            }
            newestNamed ??= versionId;
            var version = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == versionId)
                .Select(v => new { v.Content, v.ContentHash }).SingleOrDefaultAsync(cancellationToken);
            var refusal = version is null ? "is missing from the database"
                : PolicyVersion.Hash(version.Content) != version.ContentHash ? "was changed in the database: its content no longer matches its stored hash"
                : version.ContentHash != recordedHash ? "was changed in the database: its content and hash differ from what its publication recorded"
                : null;
            var policy = refusal is null ? loader.Load(version!.Content) : null;
            if (policy is { IsFailure: true })
                refusal = "does not load";
            if (refusal is not null)
            {
                problems.Add(($"{Area}:version:{versionId}", $"policy:{versionId}", $"Published policy version {versionId} {refusal}; it is refused and the last verified version stays in force."));
                continue;
            }
            var publicationId = await db.PolicyPublications.AsNoTracking()
                .Where(p => p.VersionId == versionId && p.State == PublicationState.Published)
                .OrderByDescending(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken) ?? -1;
            inForce = new VerifiedPolicy(published.Sequence, versionId, publicationId, version!.ContentHash, policy!.Value);
            break;
        }
        if (newestRow is not null && newestRow.VersionId != newestNamed)
            problems.Add(($"{Area}:publication:{newestRow.Id}", $"policy:{newestRow.VersionId}",
                $"Publication {newestRow.Id} puts policy version {newestRow.VersionId} in force, but the audit log holds no event of it; it is refused."));
        if (inForce is null)
            problems.Add(($"{Area}:none", "policy", "No published policy version can be verified, so every decision is refused until an officer publishes one."));
        return new PolicyIntegrityFinding(inForce, problems);
    }

    private static bool TryRead(string data, out int versionId, out string hash)
    {
        versionId = 0;
        hash = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out versionId)
                || !root.TryGetProperty("hash", out var recorded) || recorded.ValueKind != JsonValueKind.String)
                return false;
            hash = recorded.GetString()!;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
