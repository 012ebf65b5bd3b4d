using System.Diagnostics;
using Microsoft.Extensions.Options;
using Warden.Infrastructure.Storage;

namespace Warden.Infrastructure.Cluster;

/// <summary>
/// This instance's view of the shared state: the newest state epoch its in-memory views (containment,
/// agents, credentials, policy) reflect, and when the database last confirmed that nothing newer
/// exists. One instance on SQLite owns every change, so its view is always current. Instances sharing
/// PostgreSQL learn of changes from <see cref="StateFollower"/>; a view older than the bound is not
/// current, and decisions are refused (503) until it is again.
/// </summary>
public sealed class StateEpoch
{
    private readonly Lock _gate = new();
    private long _view;
    private long _confirmedAt;
    private TaskCompletionSource _advanced = NewSignal();

    private readonly ILogger<StateEpoch> _logger;
    private long _lastRefusalLogged;

    public StateEpoch(DatabaseConnection connection, IOptions<ClusterOptions> options, ILogger<StateEpoch> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        IsShared = connection.Provider == DatabaseProvider.Postgres;
        Bound = TimeSpan.FromMilliseconds(options.Value.StalenessBoundMilliseconds);
        Heartbeat = TimeSpan.FromMilliseconds(options.Value.HeartbeatMilliseconds);
        CatchUp = TimeSpan.FromMilliseconds(options.Value.CatchUpMilliseconds);
        _logger = logger;
        _confirmedAt = IsShared ? 0 : Stopwatch.GetTimestamp();
    }

    /// <summary>Whether other instances may change the state (PostgreSQL).</summary>
    public bool IsShared { get; }

    public TimeSpan Bound { get; }

    public TimeSpan Heartbeat { get; }

    /// <summary>How long a request waits for this instance to catch up before it is refused.</summary>
    public TimeSpan CatchUp { get; }

    /// <summary>The newest epoch the in-memory views reflect.</summary>
    public long View => Volatile.Read(ref _view);

    /// <summary>How long ago the database last confirmed the view (zero on one instance).</summary>
    public TimeSpan Age => IsShared ? Stopwatch.GetElapsedTime(Volatile.Read(ref _confirmedAt)) : TimeSpan.Zero;

    /// <summary>Whether decisions may be made on this view: always on one instance; shared, only within the bound.</summary>
    public bool IsCurrent => !IsShared || Age <= Bound;

    /// <summary>
    /// The database's epoch was <paramref name="epoch"/> when a read that started at
    /// <paramref name="readStartedAt"/> (a <see cref="Stopwatch"/> timestamp) looked, and the views now
    /// reflect it.
    /// </summary>
    public void Confirmed(long epoch, long readStartedAt)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            signal = Advance(epoch);
            if (readStartedAt > _confirmedAt)
                Volatile.Write(ref _confirmedAt, readStartedAt);
        }
        signal?.TrySetResult();
    }

    /// <summary>
    /// The views now reflect every change up to <paramref name="epoch"/> (the notifications named each
    /// of them), which does not confirm that nothing newer exists: the view advances, its age does not.
    /// </summary>
    public void Reflects(long epoch)
    {
        TaskCompletionSource? signal;
        lock (_gate)
            signal = Advance(epoch);
        signal?.TrySetResult();
    }

    /// <summary>Moves the view forward (never back); the signal to complete once outside the lock, if it moved.</summary>
    private TaskCompletionSource? Advance(long epoch)
    {
        if (epoch <= _view)
            return null;
        Volatile.Write(ref _view, epoch);
        var signal = _advanced;
        _advanced = NewSignal();
        return signal;
    }

    /// <summary>
    /// Whether decisions may be made now. A view past the bound (the follower was late, not the
    /// database) is confirmed by reading the epoch, as often as needed within <see cref="CatchUp"/>,
    /// until a read that started after this call is reflected: the view then holds every change
    /// committed before the request arrived. False when no such read succeeds in time (the database
    /// or the follower is down or too slow), and the caller refuses.
    /// </summary>
    public async ValueTask<bool> EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        if (IsCurrent)
            return true;
        if (_confirm is not { } confirm)
            return Refused("no follower confirms it");
        var asked = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                var left = CatchUp - Stopwatch.GetElapsedTime(asked);
                if (left <= TimeSpan.Zero)
                    return Refused("no read of the epoch was reflected in time");
                await confirm(cancellationToken).WaitAsync(left, cancellationToken);
                if (IsCurrent || Volatile.Read(ref _confirmedAt) >= asked)
                    return true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Refused(ex is TimeoutException ? "no read of the epoch was reflected in time" : "the epoch could not be read");
        }
    }

    private Func<CancellationToken, Task>? _confirm;

    /// <summary>How <see cref="EnsureCurrentAsync"/> confirms the view (the follower's read of the epoch).</summary>
    public void ConfirmWith(Func<CancellationToken, Task> confirm) => _confirm = confirm;

    /// <summary>This instance committed the change of <paramref name="epoch"/>, and its views already reflect it (one instance).</summary>
    public void Advanced(long epoch) => Confirmed(epoch, Stopwatch.GetTimestamp());

    /// <summary>
    /// Waits until the views reflect <paramref name="epoch"/>; false if they do not within <see cref="CatchUp"/>.
    /// Shared, it also reads the epoch once itself, so catching up does not wait for a notification
    /// that may never come.
    /// </summary>
    public async Task<bool> CatchUpAsync(long epoch, CancellationToken cancellationToken)
    {
        if (View < epoch && _confirm is { } confirm)
            _ = confirm(cancellationToken).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var deadline = Stopwatch.GetTimestamp() + (long)(CatchUp.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_view >= epoch)
                    return true;
                next = _advanced.Task;
            }
            var left = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (left <= TimeSpan.Zero)
                return View >= epoch || Refused($"its views did not reflect epoch {epoch} in time");
            try
            {
                await next.WaitAsync(left, cancellationToken);
            }
            catch (TimeoutException)
            {
                return View >= epoch || Refused($"its views did not reflect epoch {epoch} in time");
            }
        }
    }

    /// <summary>Notes a refusal for being behind (one log line a second at most); always false.</summary>
    private bool Refused(string why)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Volatile.Read(ref _lastRefusalLogged);
        if ((last == 0 || Stopwatch.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
            && Interlocked.CompareExchange(ref _lastRefusalLogged, now, last) == last)
            StateEpochLog.Behind(_logger, why, Age.TotalMilliseconds, View, Bound.TotalMilliseconds, CatchUp.TotalMilliseconds);
        return false;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// A decision decided under an older state epoch than the one in force when it was to be recorded:
/// nothing was recorded, and it is decided again once this instance's view reflects <see cref="Epoch"/>.
/// </summary>
public sealed class StaleStateException(long decidedUnder, long epoch)
    : Exception($"The decision was made under state epoch {decidedUnder}, but epoch {epoch} is in force; it is decided again.")
{
    public long Epoch { get; } = epoch;
}

internal static partial class StateEpochLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Decisions refused (503) because this instance is behind: {Why}. Its view (epoch {Epoch}) was confirmed {AgeMs:0} ms ago; bound {BoundMs} ms, catch-up wait {CatchUpMs} ms.")]
    public static partial void Behind(ILogger logger, string why, double ageMs, long epoch, double boundMs, double catchUpMs);
}
