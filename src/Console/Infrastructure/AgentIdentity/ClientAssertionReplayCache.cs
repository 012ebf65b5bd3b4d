using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Warden.Persistence;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// OpenIddict checks a client assertion's signature, issuer and audience but lets the same assertion be
/// used again. Each <c>jti</c> is accepted once: in memory for speed, in the database across restarts.
/// </summary>
public sealed class ClientAssertionReplayCache(IDbContextFactory<WardenDbContext> contexts, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time an assertion's <c>jti</c> is offered; false for a replay or an assertion without one.</summary>
    public async Task<bool> TryAcceptAsync(string agentId, string assertion, CancellationToken cancellationToken)
    {
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(assertion))
            return false;
        var token = handler.ReadJsonWebToken(assertion);
        var jti = token.Id;
        if (string.IsNullOrEmpty(jti) || jti.Length > 200)
            return false;

        var now = clock.GetUtcNow();
        var expires = token.ValidTo > DateTime.MinValue ? new DateTimeOffset(token.ValidTo, TimeSpan.Zero) : now.AddHours(1);
        var key = agentId + "|" + jti;
        Sweep(now);
        if (!_seen.TryAdd(key, expires))
            return false;

        await using var db = contexts.CreateDbContext();
        db.Set<UsedClientAssertion>().Add(new UsedClientAssertion { Jti = key, AgentId = agentId, ExpiresAt = expires });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        if (_seen.Count < 10_000)
            return;
        foreach (var (key, expires) in _seen)
        {
            if (expires < now.AddMinutes(-5))
                _seen.TryRemove(key, out _);
        }
    }
}
