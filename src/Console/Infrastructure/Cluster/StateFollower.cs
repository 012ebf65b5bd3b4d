using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Warden.Infrastructure.Storage;

namespace Warden.Infrastructure.Cluster;

/// <summary>An in-memory view of shared state that is read again from the database when another instance changed it.</summary>
public interface IStateView
{
    /// <summary>The decision-state types (see <see cref="DecisionState"/>) whose changes this view reflects.</summary>
    IReadOnlyCollection<Type> Follows { get; }

    /// <summary>Reads the whole view again.</summary>
    Task ReloadAsync(CancellationToken cancellationToken);

    /// <summary>Reads again what <paramref name="changes"/> touched of the types it follows (by default, the whole view).</summary>
    Task ReloadAsync(StateChanges changes, CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    /// <summary>
    /// A notification said that epoch <paramref name="epoch"/> made <paramref name="changes"/>, before
    /// anything was read. A view may only restrict on it (ADR 0036); by default it waits for the read.
    /// </summary>
    void Noticed(long epoch, StateChanges changes)
    {
    }
}

/// <summary>
/// Keeps this instance's views current when instances share PostgreSQL. It listens on
/// <see cref="Channel"/> (the writer notifies in the transaction of every state change, so the
/// notification arrives once the change is committed) on a connection that does nothing else, and
/// reads the newest epoch on a second one on every notification and at least every heartbeat. A newer epoch reloads the <see cref="IStateView"/>s
/// before the view is confirmed: when the notifications named what every epoch in between changed
/// (<see cref="StateChanges"/>), only the views following those types, and within them only those
/// rows; otherwise every view whole. A lost connection confirms nothing: the view ages past the bound
/// and decisions are refused until the follower is back. Each view is also told of every notification
/// as it arrives (<see cref="IStateView.Noticed"/>), before any read: the token gate refuses the agents a
/// change contained at once.
/// </summary>
public sealed partial class StateFollower(
    DatabaseConnection connection,
    StateEpoch epoch,
    IEnumerable<IStateView> views,
    IOptions<ClusterOptions> options,
    ILogger<StateFollower> logger) : BackgroundService
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connection.ConnectionString)
    {
        ApplicationName = $"warden-follower:{options.Value.InstanceName}",
    }.ConnectionString;

    public const string Channel = "warden_state";
    public const string EpochQuery = """SELECT COALESCE(MAX("Epoch"), 0) FROM "StateChanges" """;

    /// <summary>Beyond this many epochs behind, the views are read whole whatever the notifications said.</summary>
    private const int MaxNamedGap = 256;

    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly IStateView[] _views = [.. views];
    // What each notified epoch changed (an epoch whose payload could not be read is absent).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, StateChanges> _notices = new();
    // Released when a notification arrives while none was waiting to be read (at most one release pending).
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Reads the epoch now on a connection of its own (and reloads the views if it moved); one read at a time.</summary>
    public async Task ConfirmNowAsync(CancellationToken cancellationToken)
    {
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await _reading.WaitAsync(cancellationToken);
        try
        {
            // Someone else's read that started after this call confirmed the view meanwhile.
            if (epoch.IsCurrent && epoch.Age < System.Diagnostics.Stopwatch.GetElapsedTime(startedAt))
                return;
            await using var db = new NpgsqlConnection(_connectionString);
            await db.OpenAsync(cancellationToken);
            await FollowOnceAsync(db, force: false, cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Reads the epoch and reloads the views once, before the first request (start-up).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        epoch.ConfirmWith(ConfirmNowAsync);
        await using var db = new NpgsqlConnection(_connectionString);
        await db.OpenAsync(cancellationToken);
        await FollowOnceAsync(db, force: true, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One connection only listens, so a notification is read the moment it arrives, even
                // while the other is reading the epoch or the views are reloading.
                // Whatever was noticed before this connection listened may have missed its epochs' real notices.
                _notices.Clear();
                await using var listener = new NpgsqlConnection(_connectionString);
                await listener.OpenAsync(stoppingToken);
                listener.Notification += (_, e) => Noticed(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", listener))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                await using var db = new NpgsqlConnection(_connectionString);
                await db.OpenAsync(stoppingToken);
                using var stopListening = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var listening = ListenAsync(listener, stopListening.Token);
                try
                {
                    if (failures > 0)
                        StateFollowerLog.Reconnected(logger, failures);
                    failures = 0;
                    // Anything committed while no one listened is caught by this first read.
                    await FollowInTurnAsync(db, stoppingToken);
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        // A notification that came during the last read wakes it at once.
                        await Task.WhenAny(_wake.WaitAsync(epoch.Heartbeat, stoppingToken), listening);
                        // A lost listener ends the follower's turn: without notifications nothing is confirmed.
                        if (listening.IsCompleted)
                            await listening;
                        await FollowInTurnAsync(db, stoppingToken);
                    }
                }
                finally
                {
                    await stopListening.CancelAsync();
                    await listening.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (failures++ == 0)
                    StateFollowerLog.Lost(logger, ex, epoch.Bound.TotalMilliseconds);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * failures)), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>What a notification says is told to the views at once, and the follower is woken to read.</summary>
    private void Noticed(string payload)
    {
        if (_notices.Count > 4 * MaxNamedGap)
            _notices.Clear();
        if (StateChanges.TryParse(payload, out var notified, out var changes))
        {
            // Anyone connected to the database may notify on the channel: a second notice for an epoch
            // only adds to what is read for it, so none can hide what the real one named.
            _notices.AddOrUpdate(notified, static (_, more) => more, static (_, known, more) =>
            {
                var all = new StateChanges();
                all.Merge(known);
                all.Merge(more);
                return all;
            }, changes);
            foreach (var view in _views)
                view.Noticed(notified, changes);
        }
        // Notifications are handled one at a time, and only this releases: at most one wake is pending.
        if (_wake.CurrentCount == 0)
            _wake.Release();
    }

    /// <summary>Reads notifications as they come until cancelled; ends with the connection's fault if it is lost.</summary>
    private static async Task ListenAsync(NpgsqlConnection listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
            await listener.WaitAsync(cancellationToken);
    }

    private async Task FollowInTurnAsync(NpgsqlConnection db, CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            // What the notifications named is read before the epoch is: a decision waiting for a
            // trip elsewhere goes on as soon as the rows it touched are, one round trip sooner.
            await FollowNoticesAsync(db, cancellationToken);
            await FollowOnceAsync(db, force: false, cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task FollowOnceAsync(NpgsqlConnection db, bool force, CancellationToken cancellationToken)
    {
        var readStartedAt = Stopwatch.GetTimestamp();
        var current = await ReadEpochAsync(db, cancellationToken);
        var view = epoch.View;
        if (force || current > view)
        {
            // The views are independent: read together, the slowest sets the time to catch up.
            var changes = force ? null : Between(view, current);
            await Task.WhenAll(changes is null
                ? _views.Select(v => v.ReloadAsync(cancellationToken))
                : _views.Where(v => v.Follows.Any(changes.Touches)).Select(v => v.ReloadAsync(changes, cancellationToken)));
            StateFollowerLog.Reloaded(logger, current, changes?.Names ?? "everything");
        }
        epoch.Confirmed(current, readStartedAt);
        foreach (var seen in _notices.Keys)
        {
            if (seen <= current)
                _notices.TryRemove(seen, out _);
        }
    }

    /// <summary>
    /// When the notifications received name every change after the view, reloads what they touched and
    /// moves the view to the newest of them without confirming it (<see cref="StateEpoch.Reflects"/>);
    /// the epoch read that follows confirms it, or reloads what no notification named. A notice is a
    /// hint, not a proof (anyone connected may send one): the view moves only as far as the epochs the
    /// database holds, read beside the reloads, so a notice of an epoch not committed cannot make this
    /// instance skip the real one when it comes.
    /// </summary>
    private async Task FollowNoticesAsync(NpgsqlConnection db, CancellationToken cancellationToken)
    {
        var view = epoch.View;
        var newest = view;
        foreach (var notified in _notices.Keys)
            newest = Math.Max(newest, notified);
        if (newest == view || Between(view, newest) is not { } changes)
            return;
        var committed = ReadEpochAsync(db, cancellationToken);
        await Task.WhenAll(_views.Where(v => v.Follows.Any(changes.Touches)).Select(v => v.ReloadAsync(changes, cancellationToken)));
        epoch.Reflects(Math.Min(newest, await committed));
    }

    private static async Task<long> ReadEpochAsync(NpgsqlConnection db, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand(EpochQuery, db) { CommandTimeout = 5 };
        return Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What the epochs after <paramref name="view"/> up to <paramref name="current"/> changed, or null unless a notification named each of them.</summary>
    private StateChanges? Between(long view, long current)
    {
        if (current - view > MaxNamedGap)
            return null;
        var all = new StateChanges();
        for (var e = view + 1; e <= current; e++)
        {
            if (!_notices.TryGetValue(e, out var changes))
                return null;
            all.Merge(changes);
        }
        return all;
    }
}

internal static partial class StateFollowerLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The connection that follows the shared state was lost; decisions are refused once this instance's view is older than {BoundMs} ms, until it is back.")]
    public static partial void Lost(ILogger logger, Exception exception, double boundMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following the shared state again after {Failures} failed attempts.")]
    public static partial void Reconnected(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Views reloaded for state epoch {Epoch} ({Changed}).")]
    public static partial void Reloaded(ILogger logger, long epoch, string changed);
}
