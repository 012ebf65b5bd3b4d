using Microsoft.EntityFrameworkCore;
using Warden.Domain.Incidents;
using Warden.Features.Evidence;
using Warden.Features.Evidence.Rendering;
using Warden.Features.Guardrails;
using Warden.Persistence;

namespace Warden.Features.Incidents;

/// <summary>
/// The pack's section on incidents and tabletop exercises: every incident opened in the period (in
/// scope: of an agent in scope, or of several agents when the pack covers all), with its
/// time-to-contain from detection and its review, and every exercise scheduled in the period.
/// </summary>
public sealed class IncidentEvidenceSection(IDbContextFactory<WardenDbContext> contexts, Masking masking) : IEvidenceSection
{
    public const string Title = "10. Incidents and tabletop exercises";
    private const int MaxRows = 5000;

    public int Order => 10;

    public async Task WriteAsync(IEvidenceDocument doc, EvidenceSectionScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(scope);
        doc.Heading(Title);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => i.OpenedAt >= scope.PeriodStart && i.OpenedAt < scope.PeriodEnd)
            .OrderBy(i => i.OpenedAt).Take(MaxRows).ToListAsync(cancellationToken);
        if (scope.AgentIds is { } agents)
            incidents = [.. incidents.Where(i => i.AgentId is { } id && agents.Contains(id))];
        var containmentIds = incidents.Select(i => i.ContainmentId).ToList();
        var trips = await db.Containments.AsNoTracking().Where(c => containmentIds.Contains(c.Id))
            .Select(c => new { c.Id, c.CommittedAt, c.FirstRefusedAt, c.RefusalCount }).ToDictionaryAsync(c => c.Id, cancellationToken);

        var open = incidents.Count(i => i.State == IncidentState.Open);
        doc.Paragraph($"{incidents.Count} incidents opened in the period ({open} still open). Each trip of a kill switch or circuit breaker opens one; " +
                      "time-to-contain is measured from the first anomaly or violation that led to it (detection), to the trip and to the first refused request.");
        // An empty period says so in the paragraph above; a table of headers alone would read like a rendering fault.
        var table = incidents.Count == 0 ? null : doc.Table([new("Incident", 2.6), new("Type", 1.6), new("Target", 2), new("Opened", 1.8), new("Detection → trip", 1.4),
            new("Detection → first refusal", 1.4), new("Refused", 0.9), new("State", 1), new("Review", 3)]);
        foreach (var i in incidents)
        {
            var trip = trips.GetValueOrDefault(i.ContainmentId);
            var ttc = TimeToContain.Of(i.DetectedAt, i.TrippedAt, trip?.CommittedAt, trip?.FirstRefusedAt);
            table!.Row($"{i.Id}\n{masking.Text(i.Title)}", IncidentWords.Type(i.Type), masking.Text(i.TargetLabel), EvidenceText.Time(i.OpenedAt),
                Span(ttc.DetectionToTrip), Span(ttc.DetectionToFirstRefusal), (trip?.RefusalCount ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                i.State.ToString(),
                i.State == IncidentState.Closed ? masking.Text($"{i.ReviewedByName}: root cause {i.RootCause}; actions {i.Actions}") : "not reviewed yet");
        }

        doc.Heading("Tabletop exercises", 2);
        var exercises = await db.TabletopExercises.AsNoTracking()
            .Where(t => t.ScheduledFor >= scope.PeriodStart && t.ScheduledFor < scope.PeriodEnd)
            .OrderBy(t => t.ScheduledFor).Take(MaxRows).ToListAsync(cancellationToken);
        doc.Paragraph($"{exercises.Count} tabletop exercises scheduled in the period, {exercises.Count(t => t.State == TabletopState.Completed)} held.");
        var drills = exercises.Count == 0 ? null : doc.Table([new("Exercise", 3), new("Scenario", 2), new("Scheduled", 1.8), new("State", 1.1), new("Participants", 2.5), new("Found", 3.5)]);
        foreach (var t in exercises)
            drills!.Row($"{t.Id}\n{masking.Text(t.Title)}", Runbooks.Find(t.RunbookKey)?.Title ?? t.RunbookKey, EvidenceText.Time(t.ScheduledFor), t.State.ToString(),
                masking.Text(t.Participants), masking.Text(t.Findings ?? string.Empty));
    }

    private static string Span(TimeSpan? span) => span is { } s ? EvidenceText.Duration(s) : "—";
}
