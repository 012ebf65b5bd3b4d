using Microsoft.EntityFrameworkCore;
using Warden.Domain.Incidents;
using Warden.Features.Compliance;
using Warden.Persistence;

namespace Warden.Features.Incidents;

/// <summary>Every incident opened in the period (of an agent in scope, or of a wider trip) was closed with a review by the period's end.</summary>
internal sealed class IncidentsReviewedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "incidents.reviewed";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var opened = (await db.Incidents.AsNoTracking().Where(i => i.OpenedAt >= scope.Start && i.OpenedAt < scope.End)
                .Select(i => new { i.AgentId, i.State, i.ClosedAt }).ToListAsync(cancellationToken))
            .Where(i => i.AgentId is null || scope.Covers(i.AgentId)).ToList();
        if (opened.Count == 0)
            return CheckOutcome.Met("No incident was opened in the period; none waited for a review.");
        var reviewed = opened.Count(i => i.State == IncidentState.Closed && i.ClosedAt < scope.End);
        return CheckOutcome.Share(reviewed, opened.Count,
            $"{reviewed:N0} of {ScopedRecords.Count(opened.Count, "incident opened in the period was", "incidents opened in the period were")} closed with a review by its end.");
    }
}

/// <summary>The incident response was rehearsed: a tabletop exercise completed in the period (one only scheduled counts as partly).</summary>
internal sealed class TabletopExercisedCheck(IDbContextFactory<WardenDbContext> contexts) : IComplianceCheck
{
    public string Id => "tabletop.exercised";

    public async Task<CheckOutcome> EvaluateAsync(ComplianceScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var completed = await db.TabletopExercises.AsNoTracking()
            .CountAsync(t => t.State == TabletopState.Completed && t.CompletedAt >= scope.Start && t.CompletedAt < scope.End, cancellationToken);
        if (completed > 0)
            return CheckOutcome.Met($"{ScopedRecords.Count(completed, "tabletop exercise was", "tabletop exercises were")} completed in the period.");
        var scheduled = await db.TabletopExercises.AsNoTracking()
            .CountAsync(t => t.State != TabletopState.Completed && t.ScheduledFor >= scope.Start && t.ScheduledFor < scope.End, cancellationToken);
        return scheduled > 0
            ? CheckOutcome.Partly($"{ScopedRecords.Count(scheduled, "tabletop exercise was", "tabletop exercises were")} scheduled in the period but not completed.")
            : CheckOutcome.NotCovered("No tabletop exercise was held in the period.");
    }
}
