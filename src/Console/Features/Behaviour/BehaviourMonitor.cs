using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Audit;
using Warden.Domain.Autonomy;
using Warden.Domain.Behaviour;
using Warden.Domain.Containment;
using Warden.Domain.Decisions;
using Warden.Features.AuditLog;
using Warden.Features.Autonomy;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Infrastructure.Events;
using Warden.Persistence;

namespace Warden.Features.Behaviour;

/// <summary>A committed decision on its way to the baselines.</summary>
public readonly record struct ObservedDecision(string AgentId, string DecisionId, BehaviourObservation Observation, bool Executable);

/// <summary>
/// Keeps every agent's behaviour baseline. The decision path only queues each committed decision
/// (<see cref="Observe"/>: no database work, never waits); this service folds them into the
/// in-memory baselines one at a time, persists each anomaly as an alert and a violation of kind
/// anomaly, trips the agent's breaker on high scores, and snapshots changed baselines periodically
/// and on shutdown, so they survive restarts without ever rescanning decisions.
/// </summary>
public sealed partial class BehaviourMonitor(
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    AutomaticDemotion demotion,
    IServiceProvider services,
    IOptions<BehaviourOptions> options,
    TimeProvider clock,
    ILogger<BehaviourMonitor> logger) : BackgroundService, IEventHandler<DecisionCommitted>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, AgentBaseline> _baselines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);
    private readonly Channel<ObservedDecision> _queue = Channel.CreateBounded<ObservedDecision>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped;
    private long _processed;

    /// <summary>Decisions not folded in because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Queues a recorded decision. Constant time, no I/O; a full queue drops the decision from the baselines and counts it.</summary>
    public void Observe(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.ReviewOf is not null)
            return;
        Queue(new ObservedDecision(record.AgentId, record.Id,
            new BehaviourObservation(record.DecidedAt, record.Tool, record.Resource, record.Outcome == DecisionOutcome.Deny),
            record.Outcome == DecisionOutcome.Allow));
    }

    /// <summary>
    /// Told after each decision commits. Refusals of a contained agent say nothing about its habits;
    /// everything else feeds its baseline (queued, no I/O here).
    /// </summary>
    public Task HandleAsync(DecisionCommitted happened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(happened);
        var decision = happened.Decision;
        if (happened.IsOutputReview || decision.PrimaryReason.Code == DecisionCodes.Contained)
            return Task.CompletedTask;
        Queue(new ObservedDecision(happened.AgentId, happened.DecisionId,
            new BehaviourObservation(happened.DecidedAt, happened.Tool, happened.Resource, decision.Outcome == DecisionOutcome.Deny),
            decision.Outcome == DecisionOutcome.Allow));
        return Task.CompletedTask;
    }

    private void Queue(ObservedDecision observed)
    {
        if (!options.Value.Enabled)
            return;
        if (!_queue.Writer.TryWrite(observed))
            Interlocked.Increment(ref _dropped);
    }

    /// <summary>The agent's baseline as people read it, or null before its first decision.</summary>
    public BaselineSummary? Summary(string agentId)
    {
        if (!_baselines.TryGetValue(agentId, out var baseline))
            return null;
        lock (baseline)
            return baseline.Summarize();
    }

    /// <summary>Completes once every queued decision so far has been folded in (tests and benches wait on it).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        await _loaded.Task.WaitAsync(cancellationToken);
        while (_queue.Reader.Count > 0 || Volatile.Read(ref _busy) != 0)
            await Task.Delay(10, cancellationToken);
    }

    private int _busy;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(stoppingToken);
        }
        finally
        {
            _loaded.TrySetResult();
        }
        using var snapshots = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SnapshotSeconds), clock);
        var saving = SaveLoopAsync(snapshots, stoppingToken);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Volatile.Write(ref _busy, 1);
                while (_queue.Reader.TryRead(out var observed))
                    await FoldAsync(observed, stoppingToken);
                Volatile.Write(ref _busy, 0);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
            await saving;
            await SaveAsync(CancellationToken.None);
        }
    }

    private async Task FoldAsync(ObservedDecision observed, CancellationToken ct)
    {
        var baseline = _baselines.GetOrAdd(observed.AgentId, _ => new AgentBaseline());
        IReadOnlyList<Anomaly> found;
        lock (baseline)
            found = baseline.Observe(observed.Observation, options.Value.Baselines);
        _dirty.TryAdd(observed.AgentId, 0);
        Interlocked.Increment(ref _processed);
        foreach (var anomaly in found)
        {
            try
            {
                await RaiseAsync(observed, anomaly, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                BehaviourLog.RaiseFailed(logger, ex, anomaly.Kind, observed.AgentId);
            }
        }
    }

    /// <summary>Records the alert, marks its decision a violation of kind anomaly, audits both, then trips the breaker on a high score.</summary>
    internal async Task<AnomalyAlert> RaiseAsync(ObservedDecision observed, Anomaly anomaly, CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var severity = demotion.Severities.ForCode(DecisionCodes.Anomaly);
        if (anomaly.Score >= settings.HighSeverityAtScore && severity < ViolationSeverity.High)
            severity = ViolationSeverity.High;
        var alert = new AnomalyAlert
        {
            Id = AnomalyAlert.IdPrefix + Guid.CreateVersion7(now).ToString("N"),
            AgentId = observed.AgentId,
            DecisionId = observed.DecisionId,
            DetectedAt = now,
            Kind = anomaly.Kind,
            Score = anomaly.Score,
            Explanation = anomaly.Explanation.Length > AnomalyAlert.MaxExplanationLength ? anomaly.Explanation[..(AnomalyAlert.MaxExplanationLength - 1)] + "…" : anomaly.Explanation,
            Severity = severity,
        };
        for (var attempt = 1; ; attempt++)
        {
            await using var db = contexts.CreateDbContext();
            var decision = await db.Decisions.SingleOrDefaultAsync(d => d.Id == observed.DecisionId, ct);
            alert.BeforeExecution = !observed.Executable || decision is null || decision.GrantUsedAt is null || decision.GrantUsedAt > now;
            if (decision is not null)
            {
                decision.IsViolation = true;
                if (decision.ViolationSeverity is null || decision.ViolationSeverity < severity)
                    decision.ViolationSeverity = severity;
                db.Entry(decision).Property<int>("Version").CurrentValue++;
            }
            db.AnomalyAlerts.Add(alert);
            try
            {
                await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.System, "anomaly.detected", observed.AgentId, new
                {
                    alert = alert.Id,
                    decision = observed.DecisionId,
                    kind = Name(alert.Kind),
                    score = alert.Score,
                    severity = severity.ToString().ToLowerInvariant(),
                    explanation = alert.Explanation,
                    beforeExecution = alert.BeforeExecution,
                })], ct);
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // The decision moved on (approved, completed) while we read it: read it again.
            }
        }
        BehaviourLog.AnomalyRaised(logger, alert.Kind, alert.Score, observed.AgentId);
        // Like any other critical violation (when anomalies are configured critical), it demotes at once.
        if (severity == ViolationSeverity.Critical)
            await demotion.OnCriticalViolationAsync(observed.AgentId, observed.DecisionId, DecisionCodes.Anomaly, ct);
        if (settings.TripBreakerAtScore is { } bound && alert.Score >= bound)
            await TripAsync(alert, ct);
        return alert;
    }

    private async Task TripAsync(AnomalyAlert alert, CancellationToken ct)
    {
        var reason = $"breaker:anomaly ({Name(alert.Kind)}, score {alert.Score}): {alert.Explanation}";
        if (reason.Length > Warden.Domain.Containment.Containment.MaxReasonLength)
            reason = reason[..(Warden.Domain.Containment.Containment.MaxReasonLength - 1)] + "…";
        var engine = services.GetRequiredService<ContainmentEngine>();
        var trip = await engine.TripAsync(ContainmentScope.Agent, alert.AgentId, reason,
            new ContainmentActor(TripSource.Breaker, null, null, "breaker:anomaly"), ct);
        if (trip.IsFailure)
            return;
        await using var db = contexts.CreateDbContext();
        await db.AnomalyAlerts.Where(a => a.Id == alert.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ContainmentId, trip.Value.ContainmentId), ct);
        alert.ContainmentId = trip.Value.ContainmentId;
    }

    public static string Name(AnomalyKind kind) => kind switch
    {
        AnomalyKind.RateSpike => "rate_spike",
        AnomalyKind.NewTool => "new_tool",
        AnomalyKind.UnusualHour => "unusual_hour",
        AnomalyKind.DenialBurst => "denial_burst",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        await foreach (var row in db.AgentBaselines.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            try
            {
                var snapshot = JsonSerializer.Deserialize<BaselineSnapshot>(row.State, Json);
                if (snapshot is not null)
                    _baselines[row.AgentId] = AgentBaseline.Restore(snapshot);
            }
            catch (JsonException ex)
            {
                // A baseline that cannot be read starts over; it is a learned habit, not a record.
                BehaviourLog.SnapshotUnreadable(logger, ex, row.AgentId);
            }
        }
    }

    private async Task SaveLoopAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await SaveAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    BehaviourLog.SaveFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the baselines changed since the last save.</summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        var ids = _dirty.Keys.ToList();
        if (ids.Count == 0)
            return;
        foreach (var id in ids)
            _dirty.TryRemove(id, out _);
        var now = clock.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var rows = await db.AgentBaselines.Where(b => ids.Contains(b.AgentId)).ToDictionaryAsync(b => b.AgentId, StringComparer.Ordinal, ct);
        foreach (var id in ids)
        {
            if (!_baselines.TryGetValue(id, out var baseline))
                continue;
            BaselineSnapshot snapshot;
            lock (baseline)
                snapshot = baseline.ToSnapshot();
            if (!rows.TryGetValue(id, out var row))
            {
                row = new AgentBaselineRecord { AgentId = id };
                db.AgentBaselines.Add(row);
            }
            row.State = JsonSerializer.Serialize(snapshot, Json);
            row.Observations = snapshot.Observations;
            row.SavedAt = now;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            foreach (var id in ids)
                _dirty.TryAdd(id, 0);
            throw;
        }
    }
}

internal static partial class BehaviourLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Anomaly {Kind} (score {Score}) for {AgentId}.")]
    public static partial void AnomalyRaised(ILogger logger, AnomalyKind kind, int score, string agentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "An anomaly {Kind} for {AgentId} could not be recorded.")]
    public static partial void RaiseFailed(ILogger logger, Exception exception, AnomalyKind kind, string agentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored baseline of {AgentId} could not be read; it starts over.")]
    public static partial void SnapshotUnreadable(ILogger logger, Exception exception, string agentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Baselines could not be saved; they are tried again at the next snapshot.")]
    public static partial void SaveFailed(ILogger logger, Exception exception);
}
