using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Warden.Features.Containment;

public sealed record AutomationClientRow(string Id, string Name, string Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record NewAutomationClient(string Id, string Secret);

/// <summary>
/// Machine clients: security tooling that trips containments (scope <c>containment</c>) and tools that
/// redeem agents' grants (scope <c>grants</c>), created and revoked by officers with the scopes chosen
/// at creation. The secret is shown once and stored hashed by OpenIddict.
/// </summary>
public sealed class AutomationClientService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    AgentApplicationManager applications,
    AuditWriter audit,
    TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<AutomationClientRow>>> GetClientsAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Roles.SecurityOfficer, Roles.Auditor);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var rows = await db.AutomationClients.AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new AutomationClientRow(c.Id, c.Name, c.Scopes, c.CreatedAt, c.RevokedAt)).ToListAsync(ct);
        return rows;
    }

    public async Task<Result<NewAutomationClient>> CreateAsync(string? name, IReadOnlyCollection<string> scopes, CancellationToken ct = default)
    {
        var access = await guard.RequireStepUpAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        var text = name?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 100)
            return new Error("automation.name", "Name the client (1 to 100 characters), for example the tool that will use it.");
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Count == 0 || scopes.Any(s => !AutomationClient.KnownScopes.Contains(s)))
            return new Error("automation.scopes", $"Choose what the client may do: {string.Join(" and/or ", AutomationClient.KnownScopes)}.");
        var granted = string.Join(' ', AutomationClient.KnownScopes.Where(scopes.Contains));
        var now = clock.GetUtcNow();
        var id = AutomationClient.IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var secret = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = id,
            ClientSecret = secret,
            DisplayName = text,
            ClientType = ClientTypes.Confidential,
        };
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        await applications.CreateAsync(descriptor, ct);
        await using var db = contexts.CreateDbContext();
        db.AutomationClients.Add(new AutomationClient { Id = id, Name = text, Scopes = granted, CreatedById = access.Value.Id.Value, CreatedAt = now });
        await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(access.Value.Id.Value, access.Value.Email), "automation_client.created", id,
            new { client = id, name = text, scopes = granted })], ct);
        return new NewAutomationClient(id, secret);
    }

    public async Task<Result> RevokeAsync(string clientId, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var client = await db.AutomationClients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return new Error("automation.not_found", "No such automation client.");
        if (client.RevokedAt is not null)
            return Result.Success();
        client.RevokedAt = clock.GetUtcNow();
        if (await applications.FindByClientIdAsync(clientId, ct) is { } application)
            await applications.DeleteAsync(application, ct);
        await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(access.Value.Id.Value, access.Value.Email), "automation_client.revoked", clientId,
            new { client = clientId })], ct);
        return Result.Success();
    }
}
