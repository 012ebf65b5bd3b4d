using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;
using Warden.Persistence;

namespace Warden.Features.Decisions.Grants;

/// <summary>The body of <c>POST /api/v1/grants/redeem</c>: the grant and the digest of the call the tool is about to run.</summary>
[ApiRequired("grant", "digest")]
public sealed record GrantRedemptionBody(string? Grant, string? Digest);

public sealed record GrantRedemptionResponse(string DecisionId, string AgentId, string Tool, string Operation, string Resource, DateTimeOffset RedeemedAt);

/// <summary>
/// A tool redeems a grant once, just before it runs the call: only a tool client (an automation
/// client with the <c>grants</c> scope) may, only for the call decided, only until the grant expires,
/// and never after the agent was contained, suspended or had its credentials revoked since.
/// </summary>
public sealed class GrantRedemptions(
    IDbContextFactory<WardenDbContext> contexts, GrantTokens grants, DecisionJournal journal, AgentTokenGate gate, TimeProvider clock)
{
    private const int Attempts = 3;

    public async Task<Result<GrantRedemptionResponse>> RedeemAsync(ClaimsPrincipal caller, GrantRedemptionBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var client = await ToolClientAsync(caller, cancellationToken);
        if (client.IsFailure)
            return client.Error;
        if (string.IsNullOrWhiteSpace(body.Grant))
            return DecisionErrors.Invalid("grant is required: the token of the decision's grant.");
        if (body.Digest is not { Length: 64 } digest || !digest.All(char.IsAsciiHexDigitLower))
            return DecisionErrors.Invalid("digest is the lower-case hex SHA-256 of the canonical request of the call about to run.");
        if (!grants.TryRead(body.Grant, out var grant))
            return DecisionErrors.GrantInvalid;
        if (grant.Digest != digest)
            return DecisionErrors.GrantMismatch;
        if (grant.ExpiresAt <= clock.GetUtcNow())
            return DecisionErrors.GrantExpired;

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            await using var db = contexts.CreateDbContext();
            var record = await db.Decisions.SingleOrDefaultAsync(d => d.Id == grant.DecisionId, cancellationToken);
            var now = clock.GetUtcNow();
            var refusal = Refusal(record, grant, now);
            if (refusal is not null)
                return refusal;

            record!.GrantRedeemedAt = now;
            try
            {
                await journal.RecordRedemptionAsync(db, record, client.Value, cancellationToken);
                return new GrantRedemptionResponse(record.Id, record.AgentId, record.Tool, record.Operation, record.Resource, now);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another change (a redemption, an outcome report, a trip) committed first: read it again.
            }
        }
        return DecisionErrors.Unavailable;
    }

    /// <summary>The redemption rule on a record and a grant already read: null redeems; a red-team drill checks it on synthetic records in memory.</summary>
    internal Error? Refusal(DecisionRecord? record, GrantClaims grant, DateTimeOffset now)
    {
        if (record is null || record.ReviewOf is not null || !grant.IsFor(record)
            || grant.Tool != record.Tool || grant.Operation != record.Operation || grant.Resource != record.Resource)
            return DecisionErrors.GrantInvalid;
        if (record.GrantRedeemedAt is not null)
            return DecisionErrors.GrantUsed;
        if (record.State == DecisionState.Cancelled)
            return DecisionErrors.GrantRevoked;
        if (record.State is not (DecisionState.Allowed or DecisionState.Approved or DecisionState.Completed))
            return DecisionErrors.GrantInvalid;
        var expiry = DecisionAnswers.GrantExpiry(record);
        if (expiry <= now)
            return DecisionErrors.GrantExpired;
        // Contained, suspended, retired or with its credentials revoked since the grant was given.
        var issuedAt = expiry - GrantTokens.Lifetime;
        if (!gate.Check(record.AgentId, issuedAt).IsAllowed || gate.InvalidatedSince(record.AgentId, issuedAt))
            return DecisionErrors.GrantRevoked;
        return null;
    }

    /// <summary>The caller must be an automation client, still active, created with the grants scope; an agent never is.</summary>
    private async Task<Result<AuditActor>> ToolClientAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var id = caller.GetClaim(OpenIddictConstants.Claims.Subject);
        if (caller.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(id))
            return DecisionErrors.ToolClientRefused;
        if (!id.StartsWith(AutomationClient.IdPrefix, StringComparison.Ordinal) || !caller.HasAudience(AutomationClient.Audience)
            || !caller.HasScope(AutomationClient.GrantsScope))
            return DecisionErrors.GrantsScopeMissing;
        await using var db = contexts.CreateDbContext();
        var client = await db.AutomationClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (client is null || client.RevokedAt is not null)
            return DecisionErrors.ToolClientRefused;
        if (!client.HasScope(AutomationClient.GrantsScope))
            return DecisionErrors.GrantsScopeMissing;
        return new AuditActor(AuditActorKind.System, client.Id, $"automation:{client.Name}");
    }
}
