using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Incidents;
using Warden.Domain.People;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Incidents;

/// <summary>
/// Tabletop exercises: officers schedule a drill over one runbook, tick its steps as they walk through
/// it, and record who took part and what it found; owners and auditors read. Audited as <c>tabletop.*</c>.
/// </summary>
public sealed class TabletopService(AccessGuard guard, IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, TimeProvider clock)
{
    private static readonly string[] Readers = [Roles.SecurityOfficer, Roles.AgentOwner, Roles.Auditor];

    public static IReadOnlyList<Runbook> Scenarios => Runbooks.All;

    public async Task<Result<IReadOnlyList<TabletopRow>>> GetExercisesAsync(CancellationToken ct = default)
    {
        var access = await guard.RequireAsync(Readers);
        if (access.IsFailure)
            return access.Error;
        await using var db = contexts.CreateDbContext();
        var exercises = await db.TabletopExercises.AsNoTracking().OrderByDescending(t => t.ScheduledFor).Take(200).ToListAsync(ct);
        return exercises.Select(Row).ToList();
    }

    public async Task<Result<TabletopRow>> ScheduleAsync(TabletopDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        var now = clock.GetUtcNow();
        var scheduled = TabletopExercise.Schedule($"{TabletopExercise.IdPrefix}{now:yyyyMMddHHmmss}{Guid.NewGuid().ToString("N")[..8]}",
            draft.Title, draft.RunbookKey, draft.ScheduledFor, IncidentService.PersonOf(access.Value));
        if (scheduled.IsFailure)
            return scheduled.Error;
        var exercise = scheduled.Value;
        await using var db = contexts.CreateDbContext();
        db.TabletopExercises.Add(exercise);
        await audit.AppendAsync(db, [AuditEntry.Of(IncidentService.AuditActor(access.Value), "tabletop.scheduled", exercise.Id, new
        {
            exercise = exercise.Id,
            title = exercise.Title,
            scenario = exercise.RunbookKey,
            scheduledFor = exercise.ScheduledFor,
        })], ct);
        return Row(exercise);
    }

    public async Task<Result> TickStepAsync(string id, int step, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        var now = clock.GetUtcNow();
        return await ChangeAsync(id, access.Value, t => t.TickStep(step, IncidentService.PersonOf(access.Value), now), "tabletop.updated",
            t => new { exercise = t.Id, change = $"step {step + 1} done" }, ct);
    }

    /// <summary>Records the exercise as held: who took part and what it found.</summary>
    public async Task<Result> CompleteAsync(string id, string? participants, string? findings, CancellationToken ct = default)
    {
        var access = await guard.RequireToActAsync(Roles.SecurityOfficer);
        if (access.IsFailure)
            return access.Error;
        var now = clock.GetUtcNow();
        return await ChangeAsync(id, access.Value, t => t.Complete(participants, findings, IncidentService.PersonOf(access.Value), now), "tabletop.completed",
            t => new { exercise = t.Id, participants = t.Participants, findings = t.Findings }, ct);
    }

    private async Task<Result> ChangeAsync(string id, Actor actor, Func<TabletopExercise, Result> change, string kind, Func<TabletopExercise, object> data, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var exercise = await db.TabletopExercises.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (exercise is null)
            return TabletopErrors.NotFound;
        var changed = change(exercise);
        if (changed.IsFailure)
            return changed;
        db.Entry(exercise).Property<int>("Version").CurrentValue++;
        try
        {
            await audit.AppendAsync(db, [AuditEntry.Of(IncidentService.AuditActor(actor), kind, exercise.Id, data(exercise))], ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return IncidentErrors.ChangedMeanwhile;
        }
        return Result.Success();
    }

    private static TabletopRow Row(TabletopExercise t) => new(
        t.Id, t.Title, t.RunbookKey, Runbooks.Find(t.RunbookKey)?.Title ?? t.RunbookKey, t.ScheduledFor, t.State, t.ScheduledByName,
        t.Participants, t.Findings, t.CompletedAt,
        t.Steps.OrderBy(s => s.Index).Select(s => new RunbookStepView(s.Index, s.Text, s.DoneByName, s.DoneAt)).ToList());
}
