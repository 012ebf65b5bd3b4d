using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Domain.Rollback;
using Warden.Domain.Tools;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Tools;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Rollback;

/// <summary>
/// Runs rollbacks for a person whose access the service checked: records each request with its audit
/// event, moves it to running (one writer wins when two ask at once), calls the compensating action
/// and records the answer with its event. A rollback that succeeds makes the decision's outcome
/// <c>rolled_back</c> in the same transaction. The person's page closing does not stop a call under way.
/// </summary>
public sealed class RollbackRunner(IDbContextFactory<WardenDbContext> contexts, ToolHooks hooks, CompensatingCalls calls, AuditWriter audit, TimeProvider clock)
{
    /// <summary>A call started this long ago and never answered is taken as lost (its instance stopped) and may be asked for again.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>Checks and records the requests, then calls them one by one, newest action first.</summary>
    public async Task<RollbackBatch> RunAsync(Actor actor, IReadOnlyList<DecisionRecord> decisions)
    {
        var refused = new List<RollbackRefusal>();
        var requested = new List<(RollbackRequest Rollback, DecisionRecord Decision, ToolHook Hook)>();
        foreach (var decision in decisions.OrderByDescending(d => d.DecidedAt))
        {
            var asked = await RequestAsync(actor, decision);
            if (asked.IsFailure)
                refused.Add(new RollbackRefusal(decision.Id, decision.Tool, asked.Error.Code, asked.Error.Message));
            else
                requested.Add((asked.Value.Rollback, decision, asked.Value.Hook));
        }
        var called = new List<RollbackRow>();
        foreach (var (rollback, decision, hook) in requested)
        {
            var ran = await CallAsync(rollback.Id, decision, hook);
            if (ran.IsFailure)
                refused.Add(new RollbackRefusal(decision.Id, decision.Tool, ran.Error.Code, ran.Error.Message));
            else
                called.Add(ran.Value);
        }
        return new RollbackBatch(called, refused);
    }

    private async Task<Result<(RollbackRequest Rollback, ToolHook Hook)>> RequestAsync(Actor actor, DecisionRecord decision)
    {
        var undo = RollbackRequest.CanUndo(decision.Id, decision.OutcomeStatus);
        if (undo.IsFailure)
            return undo.Error;
        // A tool's hook is read fresh enough (ToolHooks drops its cache on any change): without one, nothing is called.
        if (await hooks.FindAsync(decision.Tool, CancellationToken.None) is not { DeclaresCompensation: true } hook)
            return RollbackErrors.NoCompensation(decision.Tool);
        var route = hook.CompensationGatewayTool is not null ? RollbackRoute.Gateway : RollbackRoute.Webhook;
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var rollback = await db.Rollbacks.SingleOrDefaultAsync(r => r.DecisionId == decision.Id);
        if (rollback is null)
        {
            rollback = RollbackRequest.Request(NewId(now), decision.Id, decision.AgentId, decision.Tool, route, actor.Id, actor.Name, now);
            db.Rollbacks.Add(rollback);
        }
        else
        {
            var again = rollback.AskAgain(actor.Id, actor.Name, route, now, StaleAfter);
            if (again.IsFailure)
                return again.Error;
            db.Entry(rollback).Property<int>("Version").CurrentValue++;
        }
        var entry = AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Name), "rollback.requested", decision.AgentId, new
        {
            rollback = rollback.Id,
            decision = decision.Id,
            tool = decision.Tool,
            route = rollback.Route.ToString().ToLowerInvariant(),
            attempt = rollback.Attempts + 1,
        });
        try
        {
            await audit.AppendAsync(db, [entry]);
        }
        catch (DbUpdateException)
        {
            // Someone else asked for this action's rollback at the same moment and got there first.
            return await WhyTakenAsync(decision.Id);
        }
        return (rollback, hook);
    }

    private async Task<Result<RollbackRow>> CallAsync(string rollbackId, DecisionRecord decision, ToolHook hook)
    {
        RollbackRequest rollback;
        await using (var db = contexts.CreateDbContext())
        {
            rollback = await db.Rollbacks.SingleAsync(r => r.Id == rollbackId);
            var started = rollback.Start(clock.GetUtcNow(), StaleAfter);
            if (started.IsFailure)
                return started.Error;
            db.Entry(rollback).Property<int>("Version").CurrentValue++;
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateConcurrencyException)
            {
                return RollbackErrors.InProgress(rollbackId);
            }
        }

        var (undone, answer) = await CallSafelyAsync(hook, rollback, decision);
        try
        {
            return await FinishAsync(rollbackId, undone, answer);
        }
        catch (Exception ex) when (ex is DbUpdateException or AuditCommitException)
        {
            // The tool answered but its answer could not be written: the rollback stays running (never done)
            // until it is stale, and asking again then sends the same delivery id.
            return RollbackErrors.NotRecorded(rollbackId, StaleAfter);
        }
    }

    private async Task<(bool, RollbackAnswer)> CallSafelyAsync(ToolHook hook, RollbackRequest rollback, DecisionRecord decision)
    {
        try
        {
            return await calls.CallAsync(hook, rollback, decision, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever went wrong here, the action is not known to be undone.
            return (false, new RollbackAnswer("error", null, null, $"Warden could not call the compensating action: {ex.GetType().Name}."));
        }
    }

    private async Task<Result<RollbackRow>> FinishAsync(string rollbackId, bool undone, RollbackAnswer answer)
    {
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var rollback = await db.Rollbacks.SingleAsync(r => r.Id == rollbackId);
        var finished = undone ? rollback.Succeed(answer, now) : rollback.Fail(answer, now);
        if (finished.IsFailure)
            return finished.Error;
        db.Entry(rollback).Property<int>("Version").CurrentValue++;
        if (undone && await db.Decisions.SingleOrDefaultAsync(d => d.Id == rollback.DecisionId) is { } decision)
        {
            decision.OutcomeStatus = "rolled_back";
            db.Entry(decision).Property<int>("Version").CurrentValue++;
        }
        var entry = AuditEntry.Of(AuditActor.System, undone ? "rollback.succeeded" : "rollback.failed", rollback.AgentId, new
        {
            rollback = rollback.Id,
            decision = rollback.DecisionId,
            tool = rollback.Tool,
            attempt = rollback.Attempts,
            answer = rollback.AnswerStatus,
            httpStatus = rollback.AnswerHttpStatus,
            detail = rollback.AnswerDetail,
            outcome = undone ? "rolled_back" : null,
        });
        await audit.AppendAsync(db, [entry]);
        return RollbackRow.Of(rollback);
    }

    private async Task<Error> WhyTakenAsync(string decisionId)
    {
        await using var db = contexts.CreateDbContext();
        var current = await db.Rollbacks.AsNoTracking().SingleOrDefaultAsync(r => r.DecisionId == decisionId);
        return current?.State == RollbackState.Succeeded ? RollbackErrors.AlreadySucceeded(current.Id) : RollbackErrors.InProgress(current?.Id ?? decisionId);
    }

    private static string NewId(DateTimeOffset now) => RollbackRequest.IdPrefix + AgentId.New(now).Value[AgentId.Prefix.Length..];
}
