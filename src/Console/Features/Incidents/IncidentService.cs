using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Incidents;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Incidents;

/// <summary>
/// Incidents as people work them. Officers run them (assign, tick the runbook, write notes, close
/// with a review); owners read the incidents of their agents; auditors read all. Every change is
/// audited (<c>incident.updated</c>, <c>incident.closed</c>) in the same transaction.
/// </summary>
public sealed class IncidentService(AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, TimeProvider clock)
{
    private static readonly string[] Readers = [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor];

    public async Task<Result<IReadOnlyList<IncidentRow>>> GetIncidentsAsync(IncidentFilter filter, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var query = Visible(db.Incidents.AsNoTracking(), access.Value);
        query = filter switch
        {
            IncidentFilter.Open => query.Where(i => i.State == IncidentState.Open),
            IncidentFilter.Closed => query.Where(i => i.State == IncidentState.Closed),
            _ => query,
        };
        var incidents = await query.OrderByDescending(i => i.OpenedAt).Take(200).ToListAsync(ct);
        return incidents.Select(i => new IncidentRow(i.Id, i.Title, i.Type, i.State, i.TargetLabel, i.OwnerName, i.OpenedAt, i.TrippedAt,
            i.DetectionToTrip, i.ClosedAt)).ToList();
    }

    public async Task<Result<IncidentDetails>> GetIncidentAsync(string id, CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var incident = await Visible(db.Incidents.AsNoTracking(), access.Value).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null)
            return IncidentErrors.NotFound;
        var trip = await db.Containments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == incident.ContainmentId, ct);
        var timeline = await IncidentTimeline.BuildAsync(db, incident, trip, ct);
        var isOfficer = access.Value.IsIn(Roles.SecurityOfficer);
        var runbook = Runbooks.Find(incident.RunbookKey);
        return new IncidentDetails(
            incident.Id, incident.Title, incident.Type, incident.State, incident.ContainmentId, incident.Scope, incident.TargetLabel, incident.AgentId,
            incident.TrippedBy, incident.OwnerId, incident.OwnerName, runbook?.Title ?? incident.RunbookKey,
            incident.Steps.OrderBy(s => s.Index).Select(s => new RunbookStepView(s.Index, s.Text, s.DoneByName, s.DoneAt)).ToList(),
            incident.Notes.OrderBy(n => n.At).Select(n => new IncidentNoteView(n.ByName, n.At, n.Text)).ToList(),
            timeline,
            TimeToContain.Of(incident.DetectedAt, incident.TrippedAt, trip?.CommittedAt, trip?.FirstRefusedAt),
            trip?.RefusalCount ?? 0,
            trip?.ReleasedAt is not null,
            incident.WhatHappened, incident.RootCause, incident.Actions, incident.ReviewedByName, incident.ClosedAt,
            new IncidentPermissions(isOfficer && incident.State == IncidentState.Open, isOfficer && incident.State == IncidentState.Open));
    }

    /// <summary>Who an incident can be given to: the security officers, and the agent's owner.</summary>
    public async Task<Result<IReadOnlyList<IncidentAssignee>>> GetAssigneesAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var people = await (from user in db.Users.AsNoTracking()
                            join link in db.UserRoles on user.Id equals link.UserId
                            join role in db.Roles on link.RoleId equals role.Id
                            where !user.IsDisabled && (role.Name == Roles.SecurityOfficer || role.Name == Roles.AgentOwner)
                            select new { user.Id, user.DisplayName, user.Email }).Distinct().ToListAsync(ct);
        return people.Select(p => new IncidentAssignee(p.Id, p.DisplayName ?? p.Email ?? p.Id)).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<Result> AssignAsync(string id, string? ownerId, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var person = await db.Users.AsNoTracking().Where(u => u.Id == ownerId && !u.IsDisabled)
            .Select(u => new { u.Id, u.DisplayName, u.Email }).FirstOrDefaultAsync(ct);
        if (person is null)
            return IncidentErrors.OwnerRequired;
        var owner = new Person(person.Id, person.DisplayName ?? person.Email ?? person.Id);
        return await ChangeAsync(db, id, access.Value, i => i.Assign(owner), $"assigned to {owner.Name}", ct);
    }

    public async Task<Result> TickStepAsync(string id, int step, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var now = clock.GetUtcNow();
        return await ChangeAsync(db, id, access.Value, i => i.TickStep(step, PersonOf(access.Value), now), $"runbook step {step + 1} done", ct);
    }

    public async Task<Result> AddNoteAsync(string id, string? text, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var now = clock.GetUtcNow();
        return await ChangeAsync(db, id, access.Value, i => i.AddNote(text, PersonOf(access.Value), now), "note added", ct);
    }

    /// <summary>Closes the incident with its review; the owner of the incident cannot close it alone unless an officer.</summary>
    public async Task<Result> CloseAsync(string id, IncidentReview review, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null)
            return IncidentErrors.NotFound;
        var closed = incident.Close(review, PersonOf(access.Value), access.Value.IsIn(Roles.SecurityOfficer), clock.GetUtcNow());
        if (closed.IsFailure)
            return closed;
        db.Entry(incident).Property<int>("Version").CurrentValue++;
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor(access.Value), "incident.closed", incident.Id, new
            {
                incident = incident.Id,
                change = "closed with a review",
                whatHappened = incident.WhatHappened,
                rootCause = incident.RootCause,
                actions = incident.Actions,
            })], ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return IncidentErrors.ChangedMeanwhile;
        }
        return Result.Success();
    }

    private async Task<Result> ChangeAsync(WardenDbContext db, string id, Actor actor, Func<Incident, Result> change, string description, CancellationToken ct)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null)
            return IncidentErrors.NotFound;
        var changed = change(incident);
        if (changed.IsFailure)
            return changed;
        db.Entry(incident).Property<int>("Version").CurrentValue++;
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor(actor), "incident.updated", incident.Id, new { incident = incident.Id, change = description })], ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return IncidentErrors.ChangedMeanwhile;
        }
        return Result.Success();
    }

    private static IQueryable<Incident> Visible(IQueryable<Incident> incidents, Actor actor) =>
        actor.IsIn(Roles.SecurityOfficer) || actor.IsIn(Roles.Auditor) ? incidents : incidents.Where(i => i.AgentOwnerId == actor.Id.Value);

    internal static Person PersonOf(Actor actor) => new(actor.Id.Value, actor.Name);

    internal static Warden.Domain.Audit.AuditActor AuditActor(Actor actor) => Warden.Domain.Audit.AuditActor.Person(actor.Id.Value, actor.Email);
}
