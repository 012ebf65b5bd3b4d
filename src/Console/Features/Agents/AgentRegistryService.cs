using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Features.Notifications;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// Changes to agents. Each command checks the caller, applies one domain rule, and writes the
/// change record and its audit event in the same transaction; a refusal changes nothing.
/// </summary>
public sealed class AgentRegistryService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AgentTokenGate tokenGate,
    AuditWriter audit,
    Notifier notifier,
    IOptions<DirectoryOptions> options,
    TimeProvider clock)
{
    public async Task<Result<string>> RegisterAsync(AgentDraft draft, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireToActAsync(AgentAccess.Registrars);
        if (guard.IsFailure)
            return guard.Error;
        var actor = guard.Value;
        var ownerId = string.IsNullOrWhiteSpace(draft.OwnerId) ? actor.Id.Value : draft.OwnerId;
        if (!AgentAccess.IsOfficer(actor) && ownerId != actor.Id.Value)
            return AgentRegistryErrors.OwnersRegisterForThemselves;
        if (!AgentAccess.IsOfficer(actor) || ownerId == actor.Id.Value)
        {
            var scopes = AgentDrafts.RefuseMatchEverything(draft, []);
            if (scopes.IsFailure)
                return scopes.Error;
        }
        var profile = AgentDrafts.ToProfile(draft);
        if (profile.IsFailure)
            return profile.Error;

        await using var db = contexts.CreateDbContext();
        var registered = await RegisterInAsync(db, actor, profile.Value, ownerId, draft.BackupOwnerId, "registered", cancellationToken);
        if (registered.IsFailure)
            return registered.Error;
        var saved = await SaveAsync(db, registered.Value.Agent.Id.Value, cancellationToken);
        if (saved.IsSuccess)
            notifier.Dispatch([registered.Value.Notification]);
        return saved;
    }

    public async Task<Result> EditAsync(string id, AgentDraft draft, CancellationToken cancellationToken = default)
    {
        var submitted = await SubmitEditAsync(id, draft, cancellationToken);
        return submitted.IsSuccess ? Result.Success() : submitted.Error;
    }

    /// <summary>
    /// Applies an edit, or, when an owner's edit widens the agent, records it whole as a change request
    /// for an officer who does not own the agent (any earlier pending request of the agent is superseded).
    /// </summary>
    public async Task<Result<AgentEditOutcome>> SubmitEditAsync(string id, AgentDraft draft, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireToActAsync(AgentAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;
        var actor = guard.Value;
        if (!AgentId.TryParse(id, out var agentId))
            return AgentAccess.NotFound(id);

        await using var db = contexts.CreateDbContext();
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (agent is null || !AgentAccess.CanSee(actor, agent))
            return AgentAccess.NotFound(id);
        if (!AgentAccess.OwnsOrOfficer(actor, agent))
            return AgentRegistryErrors.NotAllowed("edited");
        if (agent.Status == AgentStatus.Retired)
            return AgentErrors.Retired;
        var asOwner = AgentAccess.ActsAsOwner(actor, agent);
        if (asOwner && AgentDrafts.RefuseMatchEverything(draft, agent.Scopes) is { IsFailure: true } everything)
            return everything.Error;
        var profile = AgentDrafts.ToProfile(draft);
        if (profile.IsFailure)
            return profile.Error;
        if (await NameTakenAsync(db, profile.Value.Name, agent.Id, cancellationToken))
            return AgentRegistryErrors.NameTaken(profile.Value.Name);

        var now = clock.GetUtcNow();
        var widenings = asOwner ? AgentWidening.Between(agent.Profile, profile.Value) : [];
        if (widenings.Count > 0)
        {
            var lifetime = await AgentChangeRequests.TokenLifetimeAsync(db, agent.Id, cancellationToken);
            var opened = await AgentChangeRequests.OpenAsync(db, notifier, agent, actor,
                AgentDrafts.FromProfile(profile.Value, draft.BackupOwnerId), lifetime, lifetime, widenings, now, cancellationToken);
            var savedRequest = await SaveAsync(db, agent.Id.Value, cancellationToken);
            if (savedRequest.IsFailure)
                return savedRequest.Error;
            notifier.Dispatch([opened.Notification]);
            return new AgentEditOutcome(true, opened.Request.Id, widenings);
        }

        var before = AgentSnapshot.Of(agent);
        var edited = await ApplyEditAsync(db, agent, profile.Value, draft.BackupOwnerId, now, cancellationToken);
        if (edited.IsFailure)
            return edited.Error;
        if (!AgentSnapshot.Of(agent).Equals(before, StringComparison.Ordinal))
            await AgentChangeRequests.SupersedePendingAsync(db, agent.Id, "the agent was edited after the request", now, cancellationToken);
        db.AgentChanges.Add(ChangeRecord(agent, actor, "edited", null, before, now));
        var saved = await SaveAsync(db, agent.Id.Value, cancellationToken);
        return saved.IsSuccess ? AgentEditOutcome.Applied : saved.Error;
    }

    /// <summary>Applies a profile and the backup owner it came with (an edit, or an approved change request).</summary>
    internal static async Task<Result> ApplyEditAsync(
        WardenDbContext db, Agent agent, AgentProfile profile, string? backupOwnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var edited = agent.Edit(profile, now);
        if (edited.IsFailure || (backupOwnerId ?? string.Empty) == (agent.BackupOwnerId?.Value ?? string.Empty))
            return edited;
        return agent.ChangeBackupOwner(await CandidateOrNullAsync(db, backupOwnerId, cancellationToken), now);
    }

    /// <summary>An officer who does not own a newly registered agent lets it obtain tokens and act.</summary>
    public Task<Result> ActivateAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "activated", null, (actor, _) => AgentAccess.IsOfficer(actor),
            (_, actor, agent, now) => Task.FromResult(agent.Activate(actor.Id, now)), cancellationToken);

    public Task<Result> SuspendAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "suspended", reason, AgentAccess.OwnsOrOfficer, (_, _, agent, now) => Task.FromResult(agent.Suspend(reason, now)), cancellationToken);

    public Task<Result> ResumeAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "resumed", reason, (actor, _) => AgentAccess.IsOfficer(actor), (_, _, agent, now) => Task.FromResult(agent.Resume(reason, now)), cancellationToken);

    public Task<Result> RetireAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "retired", reason, AgentAccess.OwnsOrOfficer, (_, _, agent, now) => Task.FromResult(agent.Retire(reason, now)), cancellationToken);

    public Task<Result> AttestAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "attested", "purpose, tools and scopes confirmed", (actor, agent) => agent.OwnerId == actor.Id,
            (_, actor, agent, now) => Task.FromResult(agent.Attest(actor.Id, now)), cancellationToken);

    public Task<Result> OfferOwnershipAsync(string id, string toUserId, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "ownership_offered", null, (actor, agent) => agent.OwnerId == actor.Id, async (db, actor, agent, now) =>
            agent.OfferOwnership(actor.Id, await CandidateAsync(db, toUserId, cancellationToken), now), cancellationToken);

    public Task<Result> AcceptOwnershipAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "ownership_accepted", null, (actor, agent) => agent.PendingOwnerId == actor.Id, async (db, actor, agent, now) =>
            agent.AcceptOwnership(await CandidateAsync(db, actor.Id.Value, cancellationToken), now), cancellationToken);

    public Task<Result> AssignOwnerAsync(string id, string toUserId, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, "owner_assigned", reason, (actor, _) => AgentAccess.IsOfficer(actor), async (db, _, agent, now) =>
            string.IsNullOrWhiteSpace(reason) ? AgentErrors.ReasonRequired : agent.AssignOwner(await CandidateAsync(db, toUserId, cancellationToken), now),
            cancellationToken);

    /// <summary>
    /// Registers an agent in <paramref name="db"/>. An agent its owner registers (officers too, for
    /// themselves) starts pending review when <see cref="DirectoryOptions.NewAgentsNeedReview"/> is on, and the
    /// officers are told; one an officer registers for someone else is active at once.
    /// </summary>
    internal async Task<Result<(Agent Agent, string? Notification)>> RegisterInAsync(
        WardenDbContext db, Actor actor, AgentProfile profile, string ownerId, string? backupOwnerId, string kind, CancellationToken cancellationToken)
    {
        if (await NameTakenAsync(db, profile.Name, null, cancellationToken))
            return AgentRegistryErrors.NameTaken(profile.Name);
        var owner = await CandidateAsync(db, ownerId, cancellationToken);
        var backup = await CandidateOrNullAsync(db, backupOwnerId, cancellationToken);
        var now = clock.GetUtcNow();
        var pendingReview = options.Value.NewAgentsNeedReview && (!AgentAccess.IsOfficer(actor) || ownerId == actor.Id.Value);
        var agent = Agent.Register(AgentId.New(now), profile, owner, backup, now, pendingReview);
        if (agent.IsFailure)
            return agent.Error;
        db.Agents.Add(agent.Value);
        db.AgentChanges.Add(ChangeRecord(agent.Value, actor, kind, pendingReview ? "waits for an officer to activate it" : null, null, now));
        var notification = pendingReview
            ? notifier.Queue(db, "agent.review_requested", agent.Value.Id.Value, new
            {
                agent = new { id = agent.Value.Id.Value, name = agent.Value.Name },
                owner = ownerId,
                registeredBy = actor.Email,
                link = notifier.Link($"/agents/{agent.Value.Id.Value}"),
            }, now)
            : null;
        return (agent.Value, notification);
    }

    private async Task<Result> ChangeAsync(
        string id,
        string kind,
        string? reason,
        Func<Actor, Agent, bool> allowed,
        Func<WardenDbContext, Actor, Agent, DateTimeOffset, Task<Result>> change,
        CancellationToken cancellationToken)
    {
        var guard = await access.RequireToActAsync(AgentAccess.Readers);
        if (guard.IsFailure)
            return guard.Error;
        if (!AgentId.TryParse(id, out var agentId))
            return AgentAccess.NotFound(id);

        await using var db = contexts.CreateDbContext();
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (agent is null || !AgentAccess.CanSee(guard.Value, agent))
            return AgentAccess.NotFound(id);
        if (!allowed(guard.Value, agent))
            return AgentRegistryErrors.NotAllowed(kind);

        var before = AgentSnapshot.Of(agent);
        var now = clock.GetUtcNow();
        var result = await change(db, guard.Value, agent, now);
        if (result.IsFailure)
            return result;
        db.AgentChanges.Add(ChangeRecord(agent, guard.Value, kind, reason, before, now));
        var saved = await SaveAsync(db, agent.Id.Value, cancellationToken);
        if (saved.IsSuccess)
            tokenGate.StatusChanged(agent.Id.Value, agent.Status, now);
        return saved.IsSuccess ? Result.Success() : saved.Error;
    }

    internal static AgentChange ChangeRecord(Agent agent, Actor? actor, string kind, string? reason, string? before, DateTimeOffset now) => new()
    {
        AgentId = agent.Id.Value,
        At = now,
        ActorId = actor?.Id.Value,
        ActorName = actor?.Email ?? "system",
        Kind = kind,
        Reason = reason?.Trim(),
        Before = before,
        After = AgentSnapshot.Of(agent),
    };

    private async Task<Result<string>> SaveAsync(WardenDbContext db, string id, CancellationToken cancellationToken)
    {
        try
        {
            await audit.SaveWithAuditAsync(db, cancellationToken);
            return id;
        }
        catch (DbUpdateConcurrencyException)
        {
            return AgentRegistryErrors.ChangedMeanwhile;
        }
        catch (DbUpdateException)
        {
            return AgentRegistryErrors.NameTakenConcurrently;
        }
    }

    private static Task<bool> NameTakenAsync(WardenDbContext db, string name, AgentId? except, CancellationToken cancellationToken)
    {
        var normalized = Agent.NormalizeName(name);
        return db.Agents.AnyAsync(a => a.NormalizedName == normalized && a.Status != AgentStatus.Retired && a.Id != except, cancellationToken);
    }

    internal static async Task<OwnerCandidate> CandidateAsync(WardenDbContext db, string userId, CancellationToken cancellationToken)
    {
        var person = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.IsDisabled,
                IsOwner = db.UserRoles.Any(l => l.UserId == u.Id && db.Roles.Any(r => r.Id == l.RoleId && r.Name == Roles.AgentOwner)),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return new OwnerCandidate(new UserId(userId), person is { IsDisabled: false }, person?.IsOwner == true);
    }

    internal static async Task<OwnerCandidate?> CandidateOrNullAsync(WardenDbContext db, string? userId, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(userId) ? null : await CandidateAsync(db, userId, cancellationToken);
}

public static class AgentRegistryErrors
{
    public static readonly Error OwnersRegisterForThemselves =
        new("agent.owner_registers_own", "Agent owners register agents that they own themselves; an officer can register for others.");

    public static readonly Error ChangedMeanwhile =
        new("agent.changed_meanwhile", "Someone else changed this agent a moment ago. Reload it and try again.");

    public static readonly Error NameTakenConcurrently =
        new("agent.name_taken", "Another active agent got that name a moment ago. Choose another name.");

    public static Error NameTaken(string name) => new("agent.name_taken", $"An active agent is already called '{name}'.");

    public static Error NotAllowed(string action) =>
        new("access.forbidden", $"You may not do this to the agent ({action.Replace('_', ' ')}).");
}
