using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Features.Notifications;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Warden.Features.Agents;

/// <summary>
/// The officers' side of widening: owners' change requests approved or rejected by an officer who does
/// not own the agent, and newly registered agents waiting to be activated. Every step is a change record
/// and so an audit event, in the same transaction.
/// </summary>
public sealed class AgentChangeReviewService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AgentApplicationManager applications,
    AuditWriter audit,
    Notifier notifier,
    TimeProvider clock)
{
    private static readonly string[] Officers = [Roles.SecurityOfficer];

    /// <summary>Pending change requests: every one for officers, auditors and administrators; their own agents' for owners.</summary>
    public async Task<Result<IReadOnlyList<AgentChangeRequestRow>>> GetPendingChangesAsync(CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireAsync(AgentAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        var requests = await db.AgentChangeRequests.AsNoTracking()
            .Where(r => r.State == ChangeRequestState.Pending)
            .OrderBy(r => r.RequestedAt)
            .Take(200)
            .ToListAsync(cancellationToken);
        return await RowsAsync(db, guard.Value, requests, cancellationToken);
    }

    /// <summary>The agent's pending request and its last decided ones, for the agent page.</summary>
    public async Task<Result<IReadOnlyList<AgentChangeRequestRow>>> GetAgentChangesAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireAsync(AgentAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        var agent = await AgentAccess.FindVisibleAsync(db, guard.Value, agentId, cancellationToken);
        if (agent.IsFailure)
            return agent.Error;
        var requests = await db.AgentChangeRequests.AsNoTracking()
            .Where(r => r.AgentId == agent.Value.Id)
            .OrderByDescending(r => r.RequestedAt)
            .Take(5)
            .ToListAsync(cancellationToken);
        return await RowsAsync(db, guard.Value, requests, cancellationToken);
    }

    /// <summary>Agents waiting to be activated, for officers (and, read-only, auditors and administrators).</summary>
    public async Task<Result<IReadOnlyList<PendingAgentRow>>> GetPendingAgentsAsync(CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireAsync(AgentAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;
        await using var db = contexts.CreateDbContext();
        var agents = await db.Agents.AsNoTracking()
            .Where(a => a.Status == AgentStatus.PendingReview)
            .OrderBy(a => a.Name)
            .Take(200)
            .ToListAsync(cancellationToken);
        var visible = agents.Where(a => AgentAccess.CanSee(guard.Value, a)).ToList();
        var people = await PeopleAsync(db, visible.Select(a => a.OwnerId.Value), cancellationToken);
        return visible
            .Select(a => new PendingAgentRow(a.Id.Value, a.Name, Person(people, a.OwnerId.Value), a.RegisteredAt, AgentAccess.Reviews(guard.Value, a)))
            .ToList();
    }

    public async Task<Result> ApproveAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireToActAsync(Officers);
        if (guard.IsFailure)
            return guard.Error;
        var officer = guard.Value;
        await using var db = contexts.CreateDbContext();
        var found = await FindAsync(db, requestId, cancellationToken);
        if (found.IsFailure)
            return found.Error;
        var (request, agent) = found.Value;
        if (agent.Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        var now = clock.GetUtcNow();
        var credential = await db.Set<AgentCredential>().SingleOrDefaultAsync(c => c.AgentId == agent.Id.Value, cancellationToken);
        var lifetime = credential?.AccessTokenLifetimeMinutes ?? AgentTokenLifetime.DefaultMinutes;
        if (request.State == ChangeRequestState.Pending && officer.Id != agent.OwnerId && officer.Id != request.RequestedBy
            && !StillApplies(request, agent, lifetime))
        {
            await AgentChangeRequests.SupersedePendingAsync(db, agent.Id, "the agent changed after the request", now, cancellationToken);
            await audit.SaveWithAuditAsync(db, cancellationToken);
            return AgentChangeRequestErrors.AgentChangedSince;
        }
        var approved = request.Approve(officer.Id, agent.OwnerId, now);
        if (approved.IsFailure)
            return approved;

        var proposed = AgentChangeRequests.DraftOf(request.ProposedProfile);
        var profile = AgentDrafts.ToProfile(proposed);
        if (profile.IsFailure)
            return profile.Error;
        var before = AgentSnapshot.Of(agent);
        var applied = await AgentRegistryService.ApplyEditAsync(db, agent, profile.Value, proposed.BackupOwnerId, now, cancellationToken);
        if (applied.IsFailure)
            return applied;
        if (request.ProposedTokenLifetimeMinutes != lifetime)
            await SetLifetimeAsync(db, agent, credential, request.ProposedTokenLifetimeMinutes, cancellationToken);
        var summary = AgentChangeRequests.Summary(request.Id, AgentChangeRequests.WideningsOf(request));
        db.AgentChanges.Add(AgentRegistryService.ChangeRecord(agent, officer, "change_approved", summary, before, now));
        var notification = Notify(db, "agent.change_approved", request, agent, officer, null, now);
        return await SaveAsync(db, notification, cancellationToken);
    }

    public async Task<Result> RejectAsync(string requestId, string reason, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireToActAsync(Officers);
        if (guard.IsFailure)
            return guard.Error;
        var officer = guard.Value;
        await using var db = contexts.CreateDbContext();
        var found = await FindAsync(db, requestId, cancellationToken);
        if (found.IsFailure)
            return found.Error;
        var (request, agent) = found.Value;
        var now = clock.GetUtcNow();
        var rejected = request.Reject(officer.Id, agent.OwnerId, reason, now);
        if (rejected.IsFailure)
            return rejected;
        db.AgentChanges.Add(AgentRegistryService.ChangeRecord(agent, officer, "change_rejected", $"{request.Id}: {request.DecisionReason}", null, now));
        var notification = Notify(db, "agent.change_rejected", request, agent, officer, request.DecisionReason, now);
        return await SaveAsync(db, notification, cancellationToken);
    }

    private static bool StillApplies(AgentChangeRequest request, Agent agent, int lifetime)
    {
        var basis = AgentChangeRequests.DraftOf(request.BaseProfile);
        var profile = AgentDrafts.ToProfile(basis);
        return profile.IsSuccess && profile.Value.Equals(agent.Profile)
            && (basis.BackupOwnerId ?? string.Empty) == (agent.BackupOwnerId?.Value ?? string.Empty)
            && lifetime == request.BaseTokenLifetimeMinutes;
    }

    private async Task SetLifetimeAsync(WardenDbContext db, Agent agent, AgentCredential? credential, int minutes, CancellationToken cancellationToken)
    {
        if (credential is null)
        {
            credential = new AgentCredential { AgentId = agent.Id.Value };
            db.Set<AgentCredential>().Add(credential);
        }
        credential.AccessTokenLifetimeMinutes = minutes;
        var application = await applications.FindByClientIdAsync(agent.Id.Value, cancellationToken);
        if (application is null)
            return;
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        descriptor.Settings[Settings.TokenLifetimes.AccessToken] = TimeSpan.FromMinutes(minutes).ToString("c", CultureInfo.InvariantCulture);
        await applications.UpdateAsync(application, descriptor, cancellationToken);
    }

    private string? Notify(WardenDbContext db, string kind, AgentChangeRequest request, Agent agent, Actor officer, string? reason, DateTimeOffset now) =>
        notifier.Queue(db, kind, request.Id, new
        {
            request = request.Id,
            agent = new { id = agent.Id.Value, name = agent.Name },
            decidedBy = officer.Email,
            reason,
            link = notifier.Link($"/agents/{agent.Id.Value}"),
        }, now);

    private async Task<Result> SaveAsync(WardenDbContext db, string? notification, CancellationToken cancellationToken)
    {
        try
        {
            await audit.SaveWithAuditAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AgentRegistryErrors.ChangedMeanwhile;
        }
        catch (DbUpdateException)
        {
            return AgentRegistryErrors.NameTakenConcurrently;
        }
        notifier.Dispatch([notification]);
        return Result.Success();
    }

    private static async Task<Result<(AgentChangeRequest Request, Agent Agent)>> FindAsync(WardenDbContext db, string requestId, CancellationToken cancellationToken)
    {
        var request = await db.AgentChangeRequests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
            return AgentChangeRequestErrors.NotFound(requestId);
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == request.AgentId, cancellationToken);
        return agent is null ? AgentChangeRequestErrors.NotFound(requestId) : (request, agent);
    }

    private static async Task<Result<IReadOnlyList<AgentChangeRequestRow>>> RowsAsync(
        WardenDbContext db, Actor viewer, List<AgentChangeRequest> requests, CancellationToken cancellationToken)
    {
        var agentIds = requests.Select(r => r.AgentId).Distinct().ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => agentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var visible = requests.Where(r => agents.TryGetValue(r.AgentId, out var a) && AgentAccess.CanSee(viewer, a)).ToList();
        var people = await PeopleAsync(db,
            visible.SelectMany(r => new[] { r.RequestedBy.Value, r.DecidedBy?.Value, agents[r.AgentId].OwnerId.Value }).OfType<string>(),
            cancellationToken);
        return visible.Select(r =>
        {
            var agent = agents[r.AgentId];
            return new AgentChangeRequestRow(
                r.Id, agent.Id.Value, agent.Name, Person(people, agent.OwnerId.Value), Person(people, r.RequestedBy.Value).Email,
                r.RequestedAt, AgentChangeRequests.WideningsOf(r), r.State,
                r.DecidedBy is { } by ? Person(people, by.Value).Email : null, r.DecisionReason,
                r.State == ChangeRequestState.Pending && AgentAccess.Reviews(viewer, agent) && viewer.Id != r.RequestedBy);
        }).ToList();
    }

    private static async Task<Dictionary<string, PersonRef>> PeopleAsync(WardenDbContext db, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct(StringComparer.Ordinal).ToList();
        return await db.Users.AsNoTracking()
            .Where(u => wanted.Contains(u.Id))
            .Select(u => new PersonRef(u.Id, u.Email ?? u.Id, u.DisplayName))
            .ToDictionaryAsync(p => p.Id, StringComparer.Ordinal, cancellationToken);
    }

    private static PersonRef Person(Dictionary<string, PersonRef> people, string id) =>
        people.TryGetValue(id, out var person) ? person : new PersonRef(id, id, null);
}
