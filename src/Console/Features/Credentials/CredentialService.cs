using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Notifications;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Warden.Features.Credentials;

/// <summary>
/// An agent's OAuth client: its secret (shown once, stored hashed), its public keys for
/// <c>private_key_jwt</c>, its token lifetime and the log of tokens it received. Owners manage
/// their own agents, officers any; everyone who can see the agent can read.
/// </summary>
public sealed class CredentialService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AgentApplicationManager applications,
    IOpenIddictTokenManager tokens,
    AgentTokenGate gate,
    AuditWriter audit,
    Notifier notifier,
    TimeProvider clock)
{
    private const int RecentTokenCount = 20;

    public async Task<Result<CredentialDetails>> GetCredentialsAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireAsync(AgentAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        var agent = await FindAsync(db, guard.Value, agentId, cancellationToken);
        if (agent is null)
            return AgentAccess.NotFound(agentId);

        var now = clock.GetUtcNow();
        var credential = await db.Set<AgentCredential>().AsNoTracking().SingleOrDefaultAsync(c => c.AgentId == agentId, cancellationToken);
        var overlapEnds = await db.Set<PreviousClientSecret>().AsNoTracking()
            .Where(s => s.AgentId == agentId && s.ValidUntil > now)
            .Select(s => (DateTimeOffset?)s.ValidUntil)
            .MaxAsync(cancellationToken);
        var recent = await db.Set<TokenIssuance>().AsNoTracking()
            .Where(t => t.AgentId == agentId)
            .OrderByDescending(t => t.IssuedAt)
            .Take(RecentTokenCount)
            .Select(t => new TokenIssuanceRow(t.IssuedAt, t.TokenId, t.ExpiresAt, t.ClientAuthenticationMethod))
            .ToListAsync(cancellationToken);
        var application = await applications.FindByClientIdAsync(agentId, cancellationToken);
        var keys = application is null ? [] : KeysOf(await applications.GetJsonWebKeySetAsync(application, cancellationToken));
        var revoked = credential?.RevokedAt is not null;

        return new CredentialDetails(
            agentId,
            HasSecret: !revoked && credential?.SecretIssuedAt is not null,
            credential?.SecretIssuedAt,
            credential?.SecretRotatedAt,
            overlapEnds,
            credential?.RevokedAt,
            credential?.LastUsedAt,
            credential?.AccessTokenLifetimeMinutes ?? AgentTokenLifetime.DefaultMinutes,
            revoked ? [] : keys,
            recent,
            CanManage: agent.Status != AgentStatus.Retired && AgentAccess.OwnsOrOfficer(guard.Value, agent),
            CanReenable: agent.Status != AgentStatus.Retired && (!revoked ? AgentAccess.OwnsOrOfficer(guard.Value, agent) : AgentAccess.IsOfficer(guard.Value)));
    }

    /// <summary>Generates the agent's client secret and returns it: the only time anyone sees it.</summary>
    public Task<Result<string>> IssueSecretAsync(string agentId, CancellationToken cancellationToken = default) =>
        ManageAsync(agentId, "secret_issued", "client secret issued", async (db, agent, credential, now) =>
        {
            if (credential.SecretIssuedAt is not null && credential.RevokedAt is null)
                return CredentialErrors.SecretExists;
            var secret = NewSecret();
            await SaveApplicationAsync(agent, credential, descriptor => descriptor.ClientSecret = secret, cancellationToken);
            credential.SecretIssuedAt = now;
            credential.SecretRotatedAt = null;
            credential.RevokedAt = null;
            return secret;
        }, cancellationToken);

    /// <summary>A new secret replaces the old one, which stops at once or keeps working for <paramref name="overlap"/>.</summary>
    public Task<Result<string>> RotateSecretAsync(string agentId, TimeSpan overlap, CancellationToken cancellationToken = default) =>
        ManageAsync(agentId, "secret_rotated", overlap > TimeSpan.Zero ? $"client secret rotated; the old one works for {overlap}" : "client secret rotated; the old one stopped",
            async (db, agent, credential, now) =>
            {
                if (overlap < TimeSpan.Zero || overlap > CredentialErrors.MaxOverlap)
                    return CredentialErrors.InvalidOverlap;
                var application = await applications.FindByClientIdAsync(agent.Id.Value, cancellationToken);
                if (application is null || credential.SecretIssuedAt is null || credential.RevokedAt is not null)
                    return CredentialErrors.NoSecret;
                await db.Set<PreviousClientSecret>().Where(s => s.AgentId == agent.Id.Value).ExecuteDeleteAsync(cancellationToken);
                var oldHash = await applications.GetHashedClientSecretAsync(application, cancellationToken);
                if (overlap > TimeSpan.Zero && !string.IsNullOrEmpty(oldHash))
                    db.Set<PreviousClientSecret>().Add(new PreviousClientSecret { AgentId = agent.Id.Value, SecretHash = oldHash, ValidUntil = now + overlap });
                var secret = NewSecret();
                await SaveApplicationAsync(agent, credential, descriptor => descriptor.ClientSecret = secret, cancellationToken);
                credential.SecretRotatedAt = now;
                return secret;
            }, cancellationToken);

    /// <summary>Disables the client (secret, keys) and refuses every token it already holds.</summary>
    public async Task<Result> RevokeAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var result = await ManageAsync(agentId, "credentials_revoked", "client secret and keys revoked; issued tokens refused",
            async (db, agent, credential, now) =>
            {
                await db.Set<PreviousClientSecret>().Where(s => s.AgentId == agent.Id.Value).ExecuteDeleteAsync(cancellationToken);
                var application = await applications.FindByClientIdAsync(agent.Id.Value, cancellationToken);
                if (application is not null)
                {
                    // A secret nobody knows keeps the confidential client valid while locking it.
                    await SaveApplicationAsync(agent, credential, descriptor =>
                    {
                        descriptor.ClientSecret = NewSecret();
                        descriptor.JsonWebKeySet = null;
                    }, cancellationToken);
                    var id = await applications.GetIdAsync(application, cancellationToken);
                    if (id is not null)
                        await tokens.RevokeByApplicationIdAsync(id, cancellationToken);
                }
                credential.RevokedAt = now;
                credential.TokensValidAfter = now;
                gate.Invalidate(agent.Id.Value, now);
                return agent.Id.Value;
            }, cancellationToken, allowRetired: true);
        return result.IsSuccess ? Result.Success() : result.Error;
    }

    /// <summary>Registers a public key (JWK JSON) for <c>private_key_jwt</c>; two at most, so keys rotate with overlap.</summary>
    public async Task<Result> AddPublicKeyAsync(string agentId, string jwkJson, CancellationToken cancellationToken = default)
    {
        var key = PublicKeys.Parse(jwkJson);
        if (key.IsFailure)
            return await RefuseAfterAccessAsync(agentId, key.Error, cancellationToken);
        var result = await ManageAsync(agentId, "public_key_added", $"public key {key.Value.KeyId} added", async (db, agent, credential, now) =>
        {
            var application = await applications.FindByClientIdAsync(agent.Id.Value, cancellationToken);
            var existing = application is null ? null : await applications.GetJsonWebKeySetAsync(application, cancellationToken);
            if (credential.RevokedAt is not null)
                existing = null;
            var count = existing?.Keys.Count ?? 0;
            if (count >= CredentialErrors.MaxPublicKeys)
                return CredentialErrors.TooManyKeys;
            if (existing?.Keys.Any(k => k.KeyId == key.Value.KeyId) == true)
                return CredentialErrors.KeyExists;
            var set = new JsonWebKeySet();
            foreach (var k in existing?.Keys ?? [])
                set.Keys.Add(k);
            set.Keys.Add(key.Value);
            var revoked = credential.RevokedAt is not null;
            await SaveApplicationAsync(agent, credential, descriptor =>
            {
                descriptor.JsonWebKeySet = set;
                if (revoked)
                    descriptor.ClientSecret = NewSecret();
            }, cancellationToken);
            if (revoked)
            {
                credential.RevokedAt = null;
                credential.SecretIssuedAt = null;
                credential.SecretRotatedAt = null;
            }
            return key.Value.KeyId;
        }, cancellationToken);
        return result.IsSuccess ? Result.Success() : result.Error;
    }

    public async Task<Result> RemovePublicKeyAsync(string agentId, string keyId, CancellationToken cancellationToken = default)
    {
        var result = await ManageAsync(agentId, "public_key_removed", $"public key {keyId} removed", async (db, agent, credential, now) =>
        {
            var application = await applications.FindByClientIdAsync(agent.Id.Value, cancellationToken);
            var existing = application is null ? null : await applications.GetJsonWebKeySetAsync(application, cancellationToken);
            if (existing is null || !existing.Keys.Any(k => k.KeyId == keyId))
                return CredentialErrors.KeyNotFound;
            var set = new JsonWebKeySet();
            foreach (var k in existing.Keys.Where(k => k.KeyId != keyId))
                set.Keys.Add(k);
            await SaveApplicationAsync(agent, credential, descriptor => descriptor.JsonWebKeySet = set.Keys.Count == 0 ? null : set, cancellationToken);
            return keyId;
        }, cancellationToken, allowRetired: true);
        return result.IsSuccess ? Result.Success() : result.Error;
    }

    /// <summary>How long the agent's next access tokens live, 1 to 60 minutes.</summary>
    public async Task<Result> SetTokenLifetimeAsync(string agentId, int minutes, CancellationToken cancellationToken = default)
    {
        var result = await RequestTokenLifetimeAsync(agentId, minutes, cancellationToken);
        return result.IsSuccess ? Result.Success() : result.Error;
    }

    /// <summary>
    /// Sets the token lifetime; a longer one asked for by the agent's owner becomes a change request for an
    /// officer who does not own the agent instead.
    /// </summary>
    public async Task<Result<AgentEditOutcome>> RequestTokenLifetimeAsync(string agentId, int minutes, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireToActAsync(AgentAccess.Registrars);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        var agent = await FindAsync(db, guard.Value, agentId, cancellationToken);
        if (agent is null)
            return AgentAccess.NotFound(agentId);
        if (!AgentAccess.OwnsOrOfficer(guard.Value, agent))
            return AgentRegistryErrors.NotAllowed("token_lifetime_changed");
        if (agent.Status == AgentStatus.Retired)
            return CredentialErrors.AgentRetired;
        if (!AgentTokenLifetime.IsValid(minutes))
            return CredentialErrors.InvalidLifetime;
        var current = await AgentChangeRequests.TokenLifetimeAsync(db, agent.Id, cancellationToken);
        if (AgentWidening.TokenLifetime(current, minutes) is { } widening && AgentAccess.ActsAsOwner(guard.Value, agent))
        {
            var now = clock.GetUtcNow();
            var opened = await AgentChangeRequests.OpenAsync(db, notifier, agent, guard.Value,
                AgentDrafts.FromProfile(agent.Profile, agent.BackupOwnerId?.Value), current, minutes, [widening], now, cancellationToken);
            await audit.SaveWithAuditAsync(db, cancellationToken);
            notifier.Dispatch([opened.Notification]);
            return new AgentEditOutcome(true, opened.Request.Id, [widening]);
        }

        var result = await ManageAsync(agentId, "token_lifetime_changed", $"access tokens live {minutes} minutes", async (db, agent, credential, now) =>
        {
            credential.AccessTokenLifetimeMinutes = minutes;
            if (await applications.FindByClientIdAsync(agent.Id.Value, cancellationToken) is not null)
                await SaveApplicationAsync(agent, credential, _ => { }, cancellationToken);
            return agent.Id.Value;
        }, cancellationToken);
        return result.IsSuccess ? AgentEditOutcome.Applied : result.Error;
    }

    private async Task<Result<string>> ManageAsync(
        string agentId,
        string kind,
        string description,
        Func<WardenDbContext, Agent, AgentCredential, DateTimeOffset, Task<Result<string>>> change,
        CancellationToken cancellationToken,
        bool allowRetired = false)
    {
        var guard = await access.RequireToActAsync(AgentAccess.Registrars);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        var agent = await FindAsync(db, guard.Value, agentId, cancellationToken);
        if (agent is null)
            return AgentAccess.NotFound(agentId);
        if (!AgentAccess.OwnsOrOfficer(guard.Value, agent))
            return AgentRegistryErrors.NotAllowed(kind);
        if (agent.Status == AgentStatus.Retired && !allowRetired)
            return CredentialErrors.AgentRetired;

        var credential = await db.Set<AgentCredential>().SingleOrDefaultAsync(c => c.AgentId == agentId, cancellationToken);
        if (credential is null)
        {
            credential = new AgentCredential { AgentId = agentId };
            db.Set<AgentCredential>().Add(credential);
        }
        // Revoked credentials come back only through an officer: an owner may stop, never restart.
        if (credential.RevokedAt is not null && kind is "secret_issued" or "public_key_added" && !AgentAccess.IsOfficer(guard.Value))
            return CredentialErrors.RevokedNeedsOfficer;
        var now = clock.GetUtcNow();
        var result = await change(db, agent, credential, now);
        if (result.IsFailure)
            return result;
        CredentialEvents.Record(db, agent, guard.Value, kind, description, now);
        await audit.SaveWithAuditAsync(db, cancellationToken);
        return result;
    }

    /// <summary>Creates or updates the agent's OpenIddict application: confidential, client credentials only.</summary>
    private async Task SaveApplicationAsync(Agent agent, AgentCredential credential, Action<OpenIddictApplicationDescriptor> edit, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(agent.Id.Value, cancellationToken);
        var descriptor = new OpenIddictApplicationDescriptor();
        if (application is not null)
            await applications.PopulateAsync(descriptor, application, cancellationToken);
        descriptor.ClientId = agent.Id.Value;
        descriptor.DisplayName = agent.Name;
        descriptor.ClientType = ClientTypes.Confidential;
        descriptor.Permissions.Clear();
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        descriptor.Settings[Settings.TokenLifetimes.AccessToken] =
            TimeSpan.FromMinutes(credential.AccessTokenLifetimeMinutes).ToString("c", CultureInfo.InvariantCulture);
        edit(descriptor);
        if (application is null)
            await applications.CreateAsync(descriptor, cancellationToken);
        else
            await applications.UpdateAsync(application, descriptor, cancellationToken);
    }

    private static async Task<Agent?> FindAsync(WardenDbContext db, Actor actor, string agentId, CancellationToken cancellationToken)
    {
        if (!AgentId.TryParse(agentId, out var id))
            return null;
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return agent is not null && AgentAccess.CanSee(actor, agent) ? agent : null;
    }

    private async Task<Result> RefuseAfterAccessAsync(string agentId, Error error, CancellationToken cancellationToken)
    {
        var guard = await access.RequireToActAsync(AgentAccess.Registrars);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        return await FindAsync(db, guard.Value, agentId, cancellationToken) is null ? AgentAccess.NotFound(agentId) : error;
    }

    private static List<PublicKeyRow> KeysOf(JsonWebKeySet? set) =>
        set?.Keys.Select(k => new PublicKeyRow(k.KeyId, k.Kty, k.Alg)).ToList() ?? [];

    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
