using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Persistence;

namespace Warden.Features.Containment;

/// <summary>Drills: a real trip of one agent that measures time-to-contain and ends itself.</summary>
public sealed class ContainmentDrills(
    IDbContextFactory<WardenDbContext> contexts, ContainmentEngine engine, ContainmentReleases releases, ContainmentTurns turns, TimeProvider clock)
{
    /// <summary>
    /// A drill: trips one agent, waits (up to <paramref name="window"/>) for its next request to be
    /// refused, then ends itself, restoring the agent. The record keeps both time-to-contain figures.
    /// </summary>
    public async Task<Result<DrillResult>> DrillAsync(string agentId, ContainmentActor by, TimeSpan window, CancellationToken cancellationToken)
    {
        var trip = await engine.TripAsync(ContainmentScope.Agent, agentId, "drill: measuring time-to-contain", by with { Source = TripSource.Drill }, cancellationToken);
        if (trip.IsFailure)
            return trip.Error;
        var deadline = clock.GetUtcNow() + window;
        TimeSpan? refusal = null;
        while (clock.GetUtcNow() < deadline && refusal is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
            await engine.FlushRefusalsAsync(cancellationToken);
            await using var read = contexts.CreateDbContext();
            refusal = (await read.Containments.AsNoTracking().SingleAsync(c => c.Id == trip.Value.ContainmentId, cancellationToken)).TimeToFirstRefusal;
        }

        using var turn = await turns.TakeAsync(cancellationToken);
        await using var db = contexts.CreateDbContext();
        var containment = await db.Containments.SingleAsync(c => c.Id == trip.Value.ContainmentId, cancellationToken);
        var now = clock.GetUtcNow();
        var ended = containment.EndDrill(now);
        if (ended.IsFailure)
            return ended.Error;
        db.Entry(containment).Property<int>("Version").CurrentValue++;
        await releases.RestoreAsync(db, containment, by.Audit, "containment.drill_finished", now, cancellationToken);
        return new DrillResult(containment.Id, trip.Value.TimeToRevocation, containment.TimeToFirstRefusal);
    }
}
