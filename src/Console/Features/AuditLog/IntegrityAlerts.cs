using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Audit;
using Warden.Persistence;

namespace Warden.Features.AuditLog;

/// <summary>One thing found in the database that did not come through Warden, and what Warden does about it.</summary>
public sealed record IntegrityAlert(string Key, string Subject, string Message, DateTimeOffset RaisedAt);

/// <summary>
/// What the integrity checks of the policy in force and of the agents' settings found wrong, as long
/// as it stays wrong. A problem is audited (<c>integrity.alert</c>) the first time it is seen, and
/// shown to officers until a check finds it gone.
/// </summary>
public sealed class IntegrityAlerts(IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, TimeProvider clock, ILogger<IntegrityAlerts> logger)
{
    public const string AlertKind = "integrity.alert";

    private readonly ConcurrentDictionary<string, IntegrityAlert> _open = new(StringComparer.Ordinal);

    public event Action? Changed;

    public IReadOnlyList<IntegrityAlert> Open => [.. _open.Values.OrderBy(a => a.RaisedAt).ThenBy(a => a.Key, StringComparer.Ordinal)];

    /// <summary>Raises every problem of <paramref name="area"/> not yet raised and clears those of the area no longer found.</summary>
    public async Task SetAsync(string area, IReadOnlyList<(string Key, string Subject, string Message)> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var keys = problems.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var cleared = false;
        foreach (var stale in _open.Keys.Where(k => k.StartsWith(area + ":", StringComparison.Ordinal) && !keys.Contains(k)).ToList())
            cleared |= _open.TryRemove(stale, out _);
        var raised = false;
        foreach (var (key, subject, message) in problems)
            raised |= await RaiseAsync(key, subject, message, cancellationToken);
        if (cleared && !raised)
            Changed?.Invoke();
    }

    /// <summary>Raises one problem (audited once while it stays open); true when it was not open yet.</summary>
    public async Task<bool> RaiseAsync(string key, string subject, string message, CancellationToken cancellationToken)
    {
        var alert = new IntegrityAlert(key, subject, message, clock.GetUtcNow());
        if (!_open.TryAdd(key, alert))
            return false;
        IntegrityLog.Raised(logger, message);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.System, AlertKind, subject, new { problem = key, message })], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The alert stays shown; the refusal it explains does not depend on it being recorded.
            IntegrityLog.NotRecorded(logger, ex, key);
        }
        Changed?.Invoke();
        return true;
    }

    /// <summary>The problem is gone (e.g. the agent was saved again through Warden).</summary>
    public void Clear(string key)
    {
        if (_open.TryRemove(key, out _))
            Changed?.Invoke();
    }
}

internal static partial class IntegrityLog
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "Integrity alert: {Message}")]
    public static partial void Raised(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "The integrity alert {Key} could not be recorded in the audit log.")]
    public static partial void NotRecorded(ILogger logger, Exception exception, string key);
}
