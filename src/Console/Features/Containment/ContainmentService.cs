using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Containment;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Containment;

/// <summary>
/// The kill switches as people use them. Officers trip anything and release what someone else
/// tripped (a global release needs two of them); owners may stop, never release, their own agents;
/// auditors read. Every call re-checks the person.
/// </summary>
public sealed class ContainmentService(
    AccessGuard guard,
    IDbContextFactory<WardenDbContext> contexts,
    ContainmentEngine engine,
    ContainmentReleases releases,
    ContainmentDrills drills,
    ContainmentRegistry registry)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor];
    private static readonly string[] Trippers = [Roles.SecurityOfficer, Roles.AgentOwner];

    /// <param name="confirmation">For a global trip, the typed phrase <see cref="Trip.GlobalPhrase"/>.</param>
    public async Task<Result<TripResult>> TripAsync(ContainmentScope scope, string? target, string? reason, string? confirmation = null, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Trippers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        var owns = scope == ContainmentScope.Agent && await OwnsAsync(actor, target, ct);
        var allowed = Trip.MayTrip(actor.Roles, scope, owns);
        if (allowed.IsFailure)
            return allowed.Error;
        if (scope == ContainmentScope.Global && !string.Equals(confirmation?.Trim(), Trip.GlobalPhrase, StringComparison.Ordinal))
            return ContainmentErrors.ConfirmationMismatch(Trip.GlobalPhrase);
        return await engine.TripAsync(scope, target, reason, new ContainmentActor(TripSource.Person, actor.Id.Value, actor.Email, actor.Name), ct);
    }

    /// <summary>An officer's agreement to release; returns whether it released (a global release needs a second officer).</summary>
    public async Task<Result<bool>> ReleaseAsync(string containmentId, string? reason, CancellationToken ct = default)
    {
        var access = await guard.RequireStepUpAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        var voter = new Voter(access.Value.Id, access.Value.Email, access.Value.Name, access.Value.Roles, IsActive: true);
        return await releases.ApproveReleaseAsync(containmentId, voter, reason, ct);
    }

    /// <summary>A drill on one agent: trip, wait for its next request to be refused, end, record the figures.</summary>
    public async Task<Result<DrillResult>> RunDrillAsync(string agentId, int waitSeconds = 30, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        return await drills.DrillAsync(agentId, new ContainmentActor(TripSource.Drill, access.Value.Id.Value, access.Value.Email, access.Value.Name),
            TimeSpan.FromSeconds(Math.Clamp(waitSeconds, 1, 120)), ct);
    }

    public async Task<Result<ContainmentOverview>> GetOverviewAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var active = await db.Containments.AsNoTracking().Where(c => c.ReleasedAt == null).OrderByDescending(c => c.TrippedAt).ToListAsync(ct);
        var history = await db.Containments.AsNoTracking().Where(c => c.ReleasedAt != null).OrderByDescending(c => c.TrippedAt).Take(100).ToListAsync(ct);
        return new ContainmentOverview(
            active.Select(c => Row(c, access.Value)).ToList(),
            history.Select(c => Row(c, access.Value)).ToList(),
            access.Value.IsIn(Roles.SecurityOfficer));
    }

    /// <summary>The global containment in force, if any, for the banner every page shows.</summary>
    public async Task<Result<ActiveContainment?>> GetGlobalAsync()
    {
        var access = await guard.RequireAsync();
        if (access.IsFailure)
            return access.Error;
        return Result.Success(registry.Current.Global);
    }

    /// <summary>Agents, owners and segments matching <paramref name="text"/>: all of them for officers, their own agents for owners.</summary>
    public async Task<Result<IReadOnlyList<ContainmentTarget>>> SearchTargetsAsync(string? text, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Trippers);
        if (access.IsFailure)
            return access.Error;
        var actor = access.Value;
        var term = (text ?? string.Empty).Trim().ToLowerInvariant();
        await using var db = contexts.CreateDbContext();
        var agents = db.Agents.AsNoTracking().Where(a => a.Status != AgentStatus.Retired);
        if (!actor.IsIn(Roles.SecurityOfficer))
            agents = agents.Where(a => a.OwnerId == actor.Id);
        var agentRows = await agents.Select(a => new { a.Id, a.Name, a.NormalizedName, a.Segment, a.Status }).ToListAsync(ct);
        var results = agentRows
            .Where(a => term.Length == 0 || a.NormalizedName.Contains(term, StringComparison.Ordinal) || a.Id.Value.Contains(term, StringComparison.Ordinal))
            .Take(20)
            .Select(a => new ContainmentTarget(ContainmentScope.Agent, a.Id.Value, a.Name, $"{a.Id.Value} · {a.Segment} · {a.Status.ToString().ToLowerInvariant()}"))
            .ToList();
        if (actor.IsIn(Roles.SecurityOfficer))
        {
            results.AddRange(agentRows.Select(a => a.Segment).Distinct().Where(s => term.Length == 0 || s.Contains(term, StringComparison.Ordinal)).Order()
                .Take(10).Select(s => new ContainmentTarget(ContainmentScope.Segment, s, s, "segment")));
            var owners = await db.Agents.AsNoTracking().Select(a => a.OwnerId).Distinct().ToListAsync(ct);
            var ownerIds = owners.Select(o => o.Value).ToList();
            var people = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
                .Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(ct);
            results.AddRange(people
                .Where(p => term.Length == 0 || (p.Email ?? string.Empty).Contains(term, StringComparison.OrdinalIgnoreCase)
                            || (p.DisplayName ?? string.Empty).Contains(term, StringComparison.OrdinalIgnoreCase))
                .Take(10)
                .Select(p => new ContainmentTarget(ContainmentScope.Owner, p.Id, p.DisplayName ?? p.Email ?? p.Id, $"owner · {p.Email}")));
        }
        return results;
    }

    private static ContainmentRow Row(Trip c, Actor viewer) => new(
        c.Id, c.Scope, c.Target, c.TargetLabel, c.Reason, c.Source, c.TrippedByName, c.TrippedAt, c.AgentsContained,
        c.TimeToRevocation, c.TimeToFirstRefusal, c.ReleasedAt, c.ReleaseReason, c.ApprovalsToRelease,
        c.ReleaseApprovals.Select(a => new ReleaseApprovalView(a.OfficerName, a.Reason, a.At)).ToList(),
        // The release's own checks, asked in advance so the panel can say why its button is missing.
        c.WhyCannotRelease(new Voter(viewer.Id, viewer.Email, viewer.Email, viewer.Roles, IsActive: true))?.Message);

    private async Task<bool> OwnsAsync(Actor actor, string? target, CancellationToken ct)
    {
        if (!AgentId.TryParse(target?.Trim() ?? string.Empty, out var id))
            return false;
        await using var db = contexts.CreateDbContext();
        return await db.Agents.AsNoTracking().AnyAsync(a => a.Id == id && a.OwnerId == actor.Id, ct);
    }
}
