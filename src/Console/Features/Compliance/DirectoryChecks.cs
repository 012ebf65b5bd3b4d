using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Features.Agents;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;

namespace Warden.Features.Compliance;

/// <summary>Every agent in scope has an owner who is a person still enabled in Warden.</summary>
internal sealed class AgentsOwnedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "agents.owned";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var agents = await ScopedRecords.AgentsAsync(db, scope, cancellationToken);
        if (agents.Count == 0)
            return CheckOutcome.NotCovered("No agent is in scope, so no ownership can be shown.");
        var owners = agents.Select(a => a.OwnerId).Distinct().ToList();
        var enabled = (await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id) && !u.IsDisabled).Select(u => u.Id).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var owned = agents.Count(a => enabled.Contains(a.OwnerId));
        return CheckOutcome.Share(owned, agents.Count, $"{owned:N0} of {ScopedRecords.Count(agents.Count, "agent", "agents")} have an enabled human owner.");
    }
}

/// <summary>Every agent in scope was attested by its owner within the attestation period before the period ended.</summary>
internal sealed class AttestationsCurrentCheck(IDbContextFactory<WardenDbContext> contexts, IOptions<DirectoryOptions> directory) : IComplianceCheck
{
    public string Id => "attestations.current";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var agents = await ScopedRecords.AgentsAsync(db, scope, cancellationToken);
        if (agents.Count == 0)
            return CheckOutcome.NotCovered("No agent is in scope, so no attestation can be shown.");
        var period = directory.Value.AttestationPeriod;
        var current = agents.Count(a => a.LastAttestedAt + period >= scope.End);
        return CheckOutcome.Share(current, agents.Count,
            $"{current:N0} of {ScopedRecords.Count(agents.Count, "agent", "agents")} were attested within {period.TotalDays:0} days of the period's end.");
    }
}

/// <summary>Every agent in scope with a credential gets access tokens that live at most <see cref="MaxMinutes"/> minutes.</summary>
internal sealed class CredentialsShortLivedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public const int MaxMinutes = 15;

    public string Id => "credentials.short_lived";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var agents = (await ScopedRecords.AgentsAsync(db, scope, cancellationToken)).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var credentials = (await db.Set<AgentCredential>().AsNoTracking().Where(c => c.RevokedAt == null)
                .Select(c => new { c.AgentId, c.AccessTokenLifetimeMinutes }).ToListAsync(cancellationToken))
            .Where(c => agents.Contains(c.AgentId)).ToList();
        if (credentials.Count == 0)
            return CheckOutcome.NotCovered("No agent in scope holds a credential.");
        var shortLived = credentials.Count(c => c.AccessTokenLifetimeMinutes <= MaxMinutes);
        return CheckOutcome.Share(shortLived, credentials.Count,
            $"{shortLived:N0} of {ScopedRecords.Count(credentials.Count, "credential", "credentials")} issue tokens that live {MaxMinutes} minutes or less.");
    }
}
