using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Audit;
using Warden.Domain.Containment;
using Warden.Domain.Incidents;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Events;
using Warden.Persistence;
using Trip = Warden.Domain.Containment.Containment;

namespace Warden.Features.Incidents;

/// <summary>
/// Opens one incident per trip from the durable containment records, off the trip's path: a trip on
/// this instance only wakes it, and a short sweep finds the trips of other instances (and of a
/// restart). The incident and its <c>incident.opened</c> event commit together, in the audit chain's
/// turn after checking that no other instance opened it first (a unique index on the containment
/// backs this), so each trip opens exactly one incident.
/// Drills open none.
/// </summary>
public sealed class IncidentOpener(
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    IOptions<IncidentOptions> options,
    TimeProvider clock,
    ILogger<IncidentOpener> logger) : BackgroundService, IEventHandler<AgentsContained>
{
    private const int Batch = 50;
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Told after a trip committed: wakes the opener and returns at once (the trip does not wait for it).</summary>
    public Task HandleAsync(AgentsContained happened, CancellationToken cancellationToken)
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var sweep = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await OpenPendingAsync(stoppingToken);
                await _wake.WaitAsync(sweep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Opening incidents must never stop the app: a failure is logged and the next sweep tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                IncidentLog.OpenFailed(logger, ex);
                await Task.Delay(sweep, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Opens the incidents of trips that have none yet; returns how many this call opened.</summary>
    public async Task<int> OpenPendingAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.OpenTripsOfLastDays);
        List<Trip> trips;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            trips = await db.Containments.AsNoTracking()
                .Where(c => c.Source != TripSource.Drill && c.TrippedAt >= cutoff && !db.Incidents.Any(i => i.ContainmentId == c.Id))
                .OrderBy(c => c.TrippedAt).Take(Batch).ToListAsync(cancellationToken);
        }
        var opened = 0;
        foreach (var trip in trips)
        {
            if (await OpenAsync(trip, cancellationToken))
                opened++;
        }
        return opened;
    }

    private async Task<bool> OpenAsync(Trip trip, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var agentIds = await AgentsOfAsync(db, trip, cancellationToken);
        var agent = await AgentOfAsync(db, trip, cancellationToken);
        var detection = await IncidentDetection.FirstAsync(db, agentIds, trip.TrippedAt, TimeSpan.FromMinutes(options.Value.DetectionWindowMinutes), cancellationToken);
        var tripper = trip.Source == TripSource.Person && trip.TrippedById is { } id ? new Person(id, trip.TrippedByName) : null;
        var now = clock.GetUtcNow();
        var incident = Incident.Open(NewId(now), trip.Id, new TripFacts(trip.Scope, trip.Source, trip.TrippedByName, trip.Reason),
            trip.Target, trip.TargetLabel, trip.TrippedAt, agent, tripper, detection, now);
        db.Incidents.Add(incident);
        // In the chain's turn: an instance that opened this trip's incident first has committed it.
        return await audit.AppendIfAsync(db, (turn, ct) => NoIncidentYetAsync(turn, trip.Id, ct), [AuditEntry.Of(AuditActor.System, "incident.opened", incident.Id, new
        {
            incident = incident.Id,
            title = incident.Title,
            agent = incident.AgentId,
            containment = trip.Id,
            type = incident.Type.ToString(),
            runbook = incident.RunbookKey,
            target = incident.TargetLabel,
            owner = incident.OwnerName,
            detectedAt = incident.DetectedAt,
            detection = incident.DetectionReference,
            detectionToTripMs = incident.DetectionToTrip?.TotalMilliseconds,
        })], cancellationToken);
    }

    private static async Task<bool> NoIncidentYetAsync(WardenDbContext db, string containmentId, CancellationToken cancellationToken) =>
        !await db.Incidents.AsNoTracking().AnyAsync(i => i.ContainmentId == containmentId, cancellationToken);

    /// <summary>The agents the trip stopped, as its audit event recorded them.</summary>
    private static async Task<IReadOnlyList<string>> AgentsOfAsync(WardenDbContext db, Trip trip, CancellationToken cancellationToken)
    {
        if (trip.Scope == ContainmentScope.Agent)
            return [trip.Target];
        var data = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == trip.Id && e.Kind == "containment.tripped")
            .Select(e => e.Data).FirstOrDefaultAsync(cancellationToken);
        if (data is null)
            return [];
        using var json = JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty("agents", out var agents) && agents.ValueKind == JsonValueKind.Array
            ? [.. agents.EnumerateArray().Select(a => a.GetString()).OfType<string>().Take(1000)]
            : [];
    }

    private static async Task<AgentOfIncident?> AgentOfAsync(WardenDbContext db, Trip trip, CancellationToken cancellationToken)
    {
        if (trip.Scope != ContainmentScope.Agent || !Warden.Domain.Agents.AgentId.TryParse(trip.Target, out var agentId))
            return null;
        var ownerId = await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.OwnerId).FirstOrDefaultAsync(cancellationToken);
        if (string.IsNullOrEmpty(ownerId.Value))
            return null;
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == ownerId.Value).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
        return new AgentOfIncident(trip.Target, new Person(ownerId.Value, owner?.DisplayName ?? owner?.Email ?? ownerId.Value));
    }

    private static string NewId(DateTimeOffset now) =>
        $"{Incident.IdPrefix}{now:yyyyMMddHHmmss}{Guid.NewGuid().ToString("N")[..8]}";

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}

internal static partial class IncidentLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Opening incidents for new trips failed; the next sweep tries again.")]
    public static partial void OpenFailed(ILogger logger, Exception exception);
}
