using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Domain.Policies;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>
/// Keeps <see cref="PublishedPolicy"/> equal to the newest publication in the database: loaded before
/// the first request (seeding the default policy as version 1 on a fresh database), swapped at once
/// by the instance that publishes, and re-read every few seconds so other instances follow.
/// </summary>
public sealed class PolicyStore(IDbContextFactory<WardenDbContext> contexts, PolicyYamlLoader loader, PublishedPolicy published, AuditWriter audit, TimeProvider clock)
    : IDisposable, Warden.Infrastructure.Cluster.IStateView
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _publicationId = -1;

    public int PublicationId => _publicationId;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using (var db = contexts.CreateDbContext())
        {
            if (!await db.PolicyVersions.AnyAsync(cancellationToken))
                await SeedAsync(db, cancellationToken);
        }
        await RefreshAsync(cancellationToken);
    }

    /// <summary>Loads the newest publication if it is not the one in force; true when the policy changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await using var db = contexts.CreateDbContext();
            var newest = await db.PolicyPublications.AsNoTracking()
                .Where(p => p.State == PublicationState.Published)
                .OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id)
                .Select(p => new { p.Id, p.VersionId })
                .FirstOrDefaultAsync(cancellationToken);
            if (newest is null || newest.Id == _publicationId)
                return false;
            var content = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == newest.VersionId).Select(v => v.Content).SingleAsync(cancellationToken);
            var policy = loader.Load(content);
            if (policy.IsFailure)
                throw new StartupException($"The published policy (version {newest.VersionId}) does not load: {policy.Error.Message}");
            Put(newest.Id, policy.Value);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Another instance published: the newest publication is in force here too.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken) => await RefreshAsync(cancellationToken);

    public void Dispose() => _lock.Dispose();

    /// <summary>The publishing instance puts the new policy in force as soon as its publication commits.</summary>
    public void Put(int publicationId, Policy policy)
    {
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
}
