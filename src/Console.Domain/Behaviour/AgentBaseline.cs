using System.Globalization;
using System.Numerics;

namespace Warden.Domain.Behaviour;

/// <summary>
/// The rolling behaviour of one agent, updated one decision at a time in constant time: an
/// exponentially weighted mean and variance of requests per minute, the tools it uses, the hours of
/// the day it is active, the resource areas it touches, and its long-run and recent deny ratios.
/// <see cref="Observe"/> checks the decision against the baseline before folding it in, so the
/// detectors compare the new against the past. Not thread-safe: one writer at a time.
/// </summary>
public sealed class AgentBaseline
{
    private static readonly Anomaly[] None = [];

    private readonly Dictionary<string, long> _tools = new(StringComparer.Ordinal);
    private readonly HashSet<int> _areas = [];
    private readonly long[] _hours = new long[24];
    private readonly long[] _lastAlertMinute = [long.MinValue, long.MinValue, long.MinValue, long.MinValue];
    private long _minute = long.MinValue;
    private int _minuteCount;
    private double _rateMean;
    private double _rateVariance;
    private long _minutesObserved;
    private double _denyRatio;
    private ulong _recent;
    private int _recentCount;

    public long Observations { get; private set; }
    public DateTimeOffset FirstSeen { get; private set; }
    public DateTimeOffset LastSeen { get; private set; }
    public long UnnamedTools { get; private set; }

    /// <summary>Checks one committed decision against the baseline, then folds it in. Allocates only when it finds something.</summary>
    public IReadOnlyList<Anomaly> Observe(in BehaviourObservation observation, BaselineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Observations == 0)
            FirstSeen = observation.At;
        var minute = observation.At.UtcTicks / TimeSpan.TicksPerMinute;
        RollTo(minute, settings);
        _minuteCount++;

        List<Anomaly>? found = null;
        Check(ref found, RateSpike(settings), minute, settings);
        Check(ref found, NewTool(observation.Tool, settings), minute, settings, cooled: false);
        Check(ref found, UnusualHour(observation.At, settings), minute, settings);
        Fold(observation, settings);
        Check(ref found, DenialBurst(settings), minute, settings);
        return found ?? (IReadOnlyList<Anomaly>)None;
    }

    private void Check(ref List<Anomaly>? found, Anomaly? anomaly, long minute, BaselineSettings settings, bool cooled = true)
    {
        if (anomaly is null)
            return;
        var kind = (int)anomaly.Kind;
        if (cooled && _lastAlertMinute[kind] != long.MinValue && minute - _lastAlertMinute[kind] < settings.CooldownMinutes)
            return;
        _lastAlertMinute[kind] = minute;
        (found ??= []).Add(anomaly);
    }

    /// <summary>Closes the minutes before <paramref name="minute"/> into the rate baseline, idle minutes as zeros.</summary>
    private void RollTo(long minute, BaselineSettings settings)
    {
        if (_minute == long.MinValue)
        {
            _minute = minute;
            return;
        }
        if (minute <= _minute)
            return;
        var alpha = Alpha(settings.RateHorizonMinutes);
        Fold(_minuteCount, alpha);
        // Beyond a few horizons of idleness the weights of the past are negligible: stop folding zeros.
        var idle = Math.Min(minute - _minute - 1, 4L * settings.RateHorizonMinutes);
        for (var i = 0L; i < idle; i++)
            Fold(0, alpha);
        _minutesObserved += minute - _minute;
        _minute = minute;
        _minuteCount = 0;
    }

    private void Fold(double count, double alpha)
    {
        var difference = count - _rateMean;
        var increment = alpha * difference;
        _rateMean += increment;
        _rateVariance = (1 - alpha) * (_rateVariance + difference * increment);
    }

    private void Fold(in BehaviourObservation observation, BaselineSettings settings)
    {
        Observations++;
        LastSeen = observation.At;
        if (_tools.TryGetValue(observation.Tool, out var uses))
            _tools[observation.Tool] = uses + 1;
        else if (_tools.Count < settings.MaxDistinct)
            _tools[observation.Tool] = 1;
        else
            UnnamedTools++;
        var hour = observation.At.UtcDateTime.Hour;
        _hours[hour]++;
        if (_hours[hour] > 1_000_000)
        {
            // Keep the hour histogram rolling: halve it so old habits fade.
            for (var h = 0; h < 24; h++)
                _hours[h] /= 2;
        }
        if (_areas.Count < settings.MaxDistinct)
            _areas.Add(AreaHash(observation.Resource));
        _denyRatio += Alpha(settings.DenyRatioHorizon) * ((observation.Denied ? 1 : 0) - _denyRatio);
        var window = Math.Clamp(settings.DenialWindow, 1, 64);
        _recent = (_recent << 1) | (observation.Denied ? 1UL : 0UL);
        if (window < 64)
            _recent &= (1UL << window) - 1;
        _recentCount = Math.Min(_recentCount + 1, window);
    }

    private Anomaly? RateSpike(BaselineSettings settings)
    {
        if (_minutesObserved < settings.RateWarmupMinutes || _minuteCount < settings.RateSpikeMinimum)
            return null;
        var sd = Math.Sqrt(Math.Max(_rateVariance, 0));
        var bound = Math.Max(settings.RateSpikeMinimum, Math.Max(_rateMean + settings.RateSpikeSigmas * sd, settings.RateSpikeFactor * _rateMean));
        if (_minuteCount < bound)
            return null;
        var score = Score(_minuteCount / bound);
        return new Anomaly(AnomalyKind.RateSpike, score, string.Create(CultureInfo.InvariantCulture,
            $"{_minuteCount} requests in one minute against a usual {_rateMean:0.##} per minute (± {sd:0.##}); the alarm bound was {bound:0.#}."));
    }

    private Anomaly? NewTool(string tool, BaselineSettings settings)
    {
        if (Observations < settings.NewToolWarmup || _tools.ContainsKey(tool) || _tools.Count >= settings.MaxDistinct)
            return null;
        return new Anomaly(AnomalyKind.NewTool, 60, string.Create(CultureInfo.InvariantCulture,
            $"First use of the tool \"{tool}\" after {Observations} decisions with {_tools.Count} other tool{(_tools.Count == 1 ? "" : "s")}."));
    }

    private Anomaly? UnusualHour(DateTimeOffset at, BaselineSettings settings)
    {
        if (Observations < settings.HoursWarmup || at - FirstSeen < TimeSpan.FromDays(settings.HoursWarmupDays))
            return null;
        var total = 0L;
        foreach (var count in _hours)
            total += count;
        var hour = at.UtcDateTime.Hour;
        var share = total == 0 ? 0 : _hours[hour] / (double)total;
        if (share >= settings.UnusualHourShare)
            return null;
        var score = _hours[hour] == 0 ? 50 : 40;
        return new Anomaly(AnomalyKind.UnusualHour, score, string.Create(CultureInfo.InvariantCulture,
            $"Active at {hour:00}:00–{hour:00}:59 UTC, an hour that holds {share:0.0%} of its {total} earlier decisions (usual hours: {UsualHours()})."));
    }

    private Anomaly? DenialBurst(BaselineSettings settings)
    {
        if (Observations < settings.DenialWarmup || _recentCount < Math.Min(settings.DenialWindow, 64))
            return null;
        var denied = BitOperations.PopCount(_recent);
        var recent = denied / (double)_recentCount;
        // The long-run ratio already holds this window; it moves slowly, so the comparison stays fair.
        if (denied < settings.DenialBurstMinimum || recent < _denyRatio + settings.DenialBurstMargin)
            return null;
        var room = Math.Max(1 - _denyRatio - settings.DenialBurstMargin, 0.01);
        var score = (int)Math.Clamp(50 + 50 * (recent - _denyRatio - settings.DenialBurstMargin) / room, 50, 100);
        return new Anomaly(AnomalyKind.DenialBurst, score, string.Create(CultureInfo.InvariantCulture,
            $"{denied} of the last {_recentCount} decisions were denied ({recent:0%}) against a usual deny ratio of {_denyRatio:0.#%}."));
    }

    /// <summary>50 at the bound, 10 more for each doubling beyond it, at most 100.</summary>
    private static int Score(double timesTheBound) => (int)Math.Clamp(50 + 10 * Math.Log2(Math.Max(timesTheBound, 1)), 50, 100);

    private static double Alpha(int horizon) => 2.0 / (Math.Max(horizon, 1) + 1);

    /// <summary>The area of a resource: its first two path segments (crm/accounts/42 → crm/accounts), hashed without allocating.</summary>
    public static int AreaHash(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var span = resource.AsSpan();
        var first = span.IndexOfAny('/', ':');
        if (first >= 0)
        {
            var second = span[(first + 1)..].IndexOfAny('/', ':');
            span = second >= 0 ? span[..(first + 1 + second)] : span;
        }
        return string.GetHashCode(span, StringComparison.Ordinal);
    }

    private string UsualHours()
    {
        var total = _hours.Sum();
        var usual = Enumerable.Range(0, 24).Where(h => total > 0 && _hours[h] / (double)total >= 0.05).ToList();
        return usual.Count == 0 ? "none stands out" : string.Join(", ", usual.Select(h => h.ToString("00", CultureInfo.InvariantCulture)));
    }

    /// <summary>What the baseline says now, for people.</summary>
    public BaselineSummary Summarize()
    {
        var total = _tools.Values.Sum();
        var tools = _tools.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(10)
            .Select(t => new ToolShare(t.Key, total == 0 ? 0 : t.Value / (double)total)).ToList();
        var hours = _hours.Sum();
        var active = Enumerable.Range(0, 24).Where(h => hours > 0 && _hours[h] / (double)hours >= 0.05).ToList();
        return new BaselineSummary(Observations, FirstSeen, LastSeen, _rateMean, Math.Sqrt(Math.Max(_rateVariance, 0)),
            tools, _tools.Count, active, _areas.Count, _denyRatio);
    }

    public BaselineSnapshot ToSnapshot() => new()
    {
        Observations = Observations,
        FirstSeen = FirstSeen,
        LastSeen = LastSeen,
        Minute = _minute,
        MinuteCount = _minuteCount,
        RateMean = _rateMean,
        RateVariance = _rateVariance,
        MinutesObserved = _minutesObserved,
        Tools = new Dictionary<string, long>(_tools, StringComparer.Ordinal),
        UnnamedTools = UnnamedTools,
        Hours = (long[])_hours.Clone(),
        Areas = [.. _areas],
        DenyRatio = _denyRatio,
        Recent = _recent,
        RecentCount = _recentCount,
        LastAlertMinute = (long[])_lastAlertMinute.Clone(),
    };

    public static AgentBaseline Restore(BaselineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var baseline = new AgentBaseline
        {
            Observations = snapshot.Observations,
            FirstSeen = snapshot.FirstSeen,
            LastSeen = snapshot.LastSeen,
            UnnamedTools = snapshot.UnnamedTools,
            _minute = snapshot.Minute,
            _minuteCount = snapshot.MinuteCount,
            _rateMean = snapshot.RateMean,
            _rateVariance = snapshot.RateVariance,
            _minutesObserved = snapshot.MinutesObserved,
            _denyRatio = snapshot.DenyRatio,
            _recent = snapshot.Recent,
            _recentCount = snapshot.RecentCount,
        };
        foreach (var (tool, uses) in snapshot.Tools)
            baseline._tools[tool] = uses;
        foreach (var area in snapshot.Areas)
            baseline._areas.Add(area);
        Array.Copy(snapshot.Hours, baseline._hours, Math.Min(24, snapshot.Hours.Length));
        Array.Copy(snapshot.LastAlertMinute, baseline._lastAlertMinute, Math.Min(4, snapshot.LastAlertMinute.Length));
        return baseline;
    }
}

public sealed record ToolShare(string Tool, double Share);

/// <summary>An agent's baseline as people read it: rate per minute, tool mix, active hours (UTC), resource spread, deny ratio.</summary>
public sealed record BaselineSummary(
    long Observations,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    double RatePerMinute,
    double RateDeviation,
    IReadOnlyList<ToolShare> TopTools,
    int DistinctTools,
    IReadOnlyList<int> ActiveHours,
    int ResourceAreas,
    double DenyRatio);

/// <summary>The whole state of a baseline, as persisted so it survives a restart.</summary>
public sealed class BaselineSnapshot
{
    public long Observations { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public long Minute { get; set; }
    public int MinuteCount { get; set; }
    public double RateMean { get; set; }
    public double RateVariance { get; set; }
    public long MinutesObserved { get; set; }
    public Dictionary<string, long> Tools { get; set; } = new(StringComparer.Ordinal);
    public long UnnamedTools { get; set; }
    public long[] Hours { get; set; } = new long[24];
    public int[] Areas { get; set; } = [];
    public double DenyRatio { get; set; }
    public ulong Recent { get; set; }
    public int RecentCount { get; set; }
    public long[] LastAlertMinute { get; set; } = [];
}
