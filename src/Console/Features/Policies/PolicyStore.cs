using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Domain.Policies;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>
/// Keeps <see cref="PublishedPolicy"/> equal to the newest verified publication (see
/// <see cref="PolicyIntegrity"/>): loaded before the first request (seeding the default policy as
/// version 1 on a fresh database), swapped at once by the instance that publishes, and re-read every
/// few seconds and on every state epoch so other instances follow and a change made in the database
/// behind Warden's back is caught.
/// </summary>
public sealed class PolicyStore(
    IDbContextFactory<WardenDbContext> contexts, PolicyYamlLoader loader, PublishedPolicy published, AuditWriter audit, IntegrityAlerts alerts, TimeProvider clock, ILogger<PolicyStore> logger)
    : IDisposable, Warden.Infrastructure.Cluster.IStateView
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _publicationId = -1;
    private int _versionId;
    private (long EventSequence, string ContentHash)? _inForce;
    private bool _refusalLogged;

    public int PublicationId => _publicationId;

    /// <summary>The version in force, or null while no verified policy is.</summary>
    public int? InForceVersionId => published.IsVerified ? _versionId : null;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using (var db = contexts.CreateDbContext())
        {
            if (!await db.PolicyVersions.AnyAsync(cancellationToken))
                await SeedAsync(db, cancellationToken);
        }
        await RefreshAsync(cancellationToken);
    }

    /// <summary>
    /// Puts in force the newest publication event of the audit chain whose version still matches both
    /// its stored hash and the hash the event names; true when the policy in force changed. Anything
    /// else found on the way (a version edited in the database, a publication row with no event) is
    /// refused and raised as an alert; when no publication can be verified, decisions are refused.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var found = await PolicyIntegrity.FindAsync(contexts, loader, cancellationToken);
            await alerts.SetAsync(PolicyIntegrity.Area, found.Problems, cancellationToken);
            if (found.InForce is not { } verified)
            {
                var wasVerified = published.IsVerified;
                published.Refuse();
                _inForce = null;
                if (wasVerified || !_refusalLogged)
                    PolicyLog.NoVerifiedPolicy(logger);
                _refusalLogged = true;
                return wasVerified;
            }
            if (published.IsVerified && _inForce == (verified.EventSequence, verified.ContentHash))
                return false;
            Put(verified.PublicationId, verified.VersionId, verified.Policy);
            _inForce = (verified.EventSequence, verified.ContentHash);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public IReadOnlyCollection<Type> Follows { get; } = [typeof(PolicyPublication)];

    /// <summary>Another instance published: the newest publication is in force here too.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken) => await RefreshAsync(cancellationToken);

    public void Dispose() => _lock.Dispose();

    /// <summary>The publishing instance puts the new policy in force as soon as its publication commits.</summary>
    public void Put(int publicationId, int versionId, Policy policy)
    {
        // The next refresh compares what it verifies with this, not with what it verified before.
        _inForce = null;
        _versionId = versionId;
        published.Publish(policy);
        _publicationId = publicationId;
    }

    private async Task SeedAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var document = loader.Compile(DefaultPolicy.Yaml);
        var tests = PolicyTestRunner.Run(document.Policy!, document.Tests);
        var version = new PolicyVersion
        {
            Label = document.Version,
            Content = DefaultPolicy.Yaml,
            ContentHash = PolicyVersion.Hash(DefaultPolicy.Yaml),
            AuthorId = "system",
            AuthorName = "Warden",
            SavedAt = now,
            Comment = "The default policy shipped with Warden.",
            TestsPassed = tests.Count(t => t.Passed),
            TestsFailed = tests.Count(t => !t.Passed),
        };
        // The version needs its id before the publication can name it; one transaction keeps them together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        db.PolicyPublications.Add(new PolicyPublication
        {
            VersionId = version.Id,
            State = PublicationState.Published,
            RequestedBy = "system",
            RequestedByName = "Warden",
            RequestedAt = now,
            PublishedAt = now,
            Reason = "First start: the default policy is in force until an officer publishes another.",
        });
        await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.System, "policy.published", $"policy:{version.Id}",
            new { version = version.Id, label = version.Label, hash = version.ContentHash, reason = "default policy on first start" })], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>Re-reads the newest publication every few seconds, so a policy published on another instance takes effect here too.</summary>
public sealed class PolicyRefresher(PolicyStore store, ILogger<PolicyRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                PolicyLog.RefreshFailed(logger, ex);
            }
        }
    }
}

internal static partial class PolicyLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The published policy could not be re-read; the policy in force stays as it is.")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "No verified policy: no published version matches both its stored hash and a publication event in the audit log, so every decision is refused until an officer publishes one.")]
    public static partial void NoVerifiedPolicy(ILogger logger);
}
