using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using Warden.Persistence;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// OpenIddict keeps one secret per client. To let a rotated secret keep working for an overlap, a
/// failed check falls back to the previous secrets whose overlap has not ended.
/// </summary>
public sealed class AgentApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    IDbContextFactory<WardenDbContext> contexts,
    TimeProvider clock)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<bool> ValidateClientSecretAsync(
        OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken cancellationToken = default)
    {
        if (await base.ValidateClientSecretAsync(application, secret, cancellationToken))
            return true;
        var clientId = application.ClientId;
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
            return false;

        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var previous = await db.Set<PreviousClientSecret>().AsNoTracking()
            .Where(s => s.AgentId == clientId && s.ValidUntil > now)
            .Select(s => s.SecretHash)
            .ToListAsync(cancellationToken);
        foreach (var hash in previous)
        {
            if (await ValidateClientSecretAsync(secret, hash, cancellationToken))
                return true;
        }
        return false;
    }

    private static string? _decoy;

    /// <summary>Checks <paramref name="secret"/> against a hash no client has, so an unknown client id costs what a known one does.</summary>
    public async ValueTask CheckAgainstDecoyAsync(string secret, CancellationToken cancellationToken)
    {
        _decoy ??= await ObfuscateClientSecretAsync(Guid.NewGuid().ToString("N"), cancellationToken);
        _ = await ValidateClientSecretAsync(secret, _decoy, cancellationToken);
    }

    /// <summary>The stored (hashed) secret of <paramref name="application"/>, kept when it is rotated with overlap.</summary>
    public ValueTask<string?> GetHashedClientSecretAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken) =>
        Store.GetClientSecretAsync(application, cancellationToken);
}
