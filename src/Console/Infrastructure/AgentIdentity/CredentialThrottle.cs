using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>What the throttle says about the next attempt: go ahead, or wait until <see cref="RetryAt"/>.</summary>
public readonly record struct ThrottleVerdict(DateTimeOffset? RetryAt, bool LockedOut)
{
    public bool IsAllowed => RetryAt is null;

    public int RetryAfterSeconds(DateTimeOffset now) =>
        RetryAt is { } at ? Math.Max(1, (int)Math.Ceiling((at - now).TotalSeconds)) : 0;
}

/// <summary>What one failure changed: the failures counted so far and whether it started a lockout.</summary>
public readonly record struct FailureCount(int ClientFailures, int AddressFailures, bool LockoutStarted, ThrottleVerdict Next);

/// <summary>
/// Failed client authentications on <c>/connect/token</c>, counted per client id (known or not, so
/// an unknown id is throttled exactly like a known one) and per source address. After the free
/// failures each one doubles the wait before the next attempt; at the lockout threshold every
/// attempt, the right secret included, is refused until the lockout ends.
/// <para>
/// The counts live in this instance's memory: with several instances behind one address (ADR 0017)
/// each instance counts on its own, so an attacker spread over N instances gets at most N times the
/// budget, and a restart forgets the counts. Every failure is in the shared audit log all the same.
/// </para>
/// </summary>
public sealed class CredentialThrottle(IOptions<CredentialThrottleOptions> options, TimeProvider clock)
{
    private const int MaxEntries = 100_000;
    private readonly CredentialThrottleOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeProvider Clock => clock;

    public ThrottleVerdict Check(string? clientId, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var client = Read(ClientKey(clientId), now);
        var source = Read(AddressKey(address), now);
        var until = Later(client?.BlockedUntil, source?.BlockedUntil);
        if (until is null || until <= now)
            return new ThrottleVerdict(null, false);
        var locked = (client?.BlockedUntil == until && client.Locked) || (source?.BlockedUntil == until && source.Locked);
        return new ThrottleVerdict(until, locked);
    }

    public FailureCount RecordFailure(string? clientId, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        if (_entries.Count > MaxEntries)
            Prune(now);
        var client = Fail(ClientKey(clientId), now, _options.ClientFreeFailures, _options.ClientLockoutFailures);
        var source = Fail(AddressKey(address), now, _options.AddressFreeFailures, _options.AddressLockoutFailures);
        var until = Later(client.BlockedUntil, source.BlockedUntil);
        var next = until is { } at && at > now
            ? new ThrottleVerdict(at, (client.Locked && client.BlockedUntil == at) || (source.Locked && source.BlockedUntil == at))
            : new ThrottleVerdict(null, false);
        return new FailureCount(client.Failures, source.Failures, client.LockoutStarted || source.LockoutStarted, next);
    }

    /// <summary>A client that authenticated starts afresh; its address keeps its count, as other ids may be guessed from it.</summary>
    public void RecordSuccess(string? clientId) => _entries.TryRemove(ClientKey(clientId), out _);

    private Snapshot Fail(string key, DateTimeOffset now, int free, int lockout)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            entry.Expire(now, TimeSpan.FromSeconds(_options.WindowSeconds));
            entry.Failures++;
            entry.LastFailure = now;
            var started = false;
            if (entry.Failures >= lockout)
            {
                started = !entry.Locked;
                entry.Locked = true;
                entry.BlockedUntil = now.AddSeconds(_options.LockoutSeconds);
            }
            else if (entry.Failures > free)
            {
                var doublings = Math.Min(entry.Failures - free - 1, 20);
                var wait = Math.Min((long)_options.BackoffSeconds << doublings, _options.MaxBackoffSeconds);
                entry.BlockedUntil = now.AddSeconds(wait);
            }
            return new Snapshot(entry.Failures, entry.BlockedUntil, entry.Locked, started);
        }
    }

    private Snapshot? Read(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        lock (entry)
        {
            entry.Expire(now, TimeSpan.FromSeconds(_options.WindowSeconds));
            return new Snapshot(entry.Failures, entry.BlockedUntil, entry.Locked, false);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        var window = TimeSpan.FromSeconds(_options.WindowSeconds);
        foreach (var (key, entry) in _entries)
        {
            lock (entry)
            {
                entry.Expire(now, window);
                if (entry.Failures == 0)
                    _entries.TryRemove(key, out _);
            }
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;

    private static string ClientKey(string? clientId) => "client:" + (clientId ?? string.Empty);

    private static string AddressKey(IPAddress? address) => "address:" + (address?.ToString() ?? "unknown");

    private sealed record Snapshot(int Failures, DateTimeOffset? BlockedUntil, bool Locked, bool LockoutStarted);

    private sealed class Entry
    {
        public int Failures { get; set; }
        public DateTimeOffset LastFailure { get; set; }
        public DateTimeOffset? BlockedUntil { get; set; }
        public bool Locked { get; set; }

        /// <summary>A lockout that ended, or failures older than the window, start the count afresh.</summary>
        public void Expire(DateTimeOffset now, TimeSpan window)
        {
            var lockoutOver = Locked && BlockedUntil <= now;
            if (lockoutOver || (Failures > 0 && now - LastFailure >= window && (BlockedUntil is null || BlockedUntil <= now)))
            {
                Failures = 0;
                BlockedUntil = null;
                Locked = false;
            }
        }
    }
}
