using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Persistence;

namespace Warden.Features.AuditLog.Stream;

/// <summary>
/// Streams the audit log to a SIEM, at least once and in order, from a persisted cursor. Events are
/// written over TCP (optionally TLS) in batches; a batch counts as delivered once the connection
/// stayed open for <see cref="AuditStreamOptions.ConfirmSeconds"/> after it (syslog has no
/// acknowledgement, and a receiver that goes away loses what it had not read): if the connection fails
/// sooner, everything after the delivered cursor is sent again on the next connection. So an outage
/// or a restart of the receiver leaves no gap, at the price of a few duplicates. One instance streams
/// at a time (a lease on the cursor row); it never touches the decision path.
/// </summary>
public sealed partial class AuditStreamer(
    IDbContextFactory<WardenDbContext> contexts,
    IOptions<AuditStreamOptions> options,
    TimeProvider clock,
    ILogger<AuditStreamer> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await LeaseAsync(stoppingToken) is not { } delivered)
                {
                    await Task.Delay(Lease / 3, clock, stoppingToken);
                    continue;
                }
                await StreamAsync(settings, delivered, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The stream must never stop the app: any failure is recorded and retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                StreamLog.Failed(logger, settings.Host!, settings.Port, ex.Message);
                await RecordFailureAsync(ex.Message, CancellationToken.None);
                await Task.Delay(TimeSpan.FromSeconds(settings.RetrySeconds), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One connection: sends what follows the cursor, confirms what the connection outlived, until it fails or the lease is lost.</summary>
    private async Task StreamAsync(AuditStreamOptions settings, long delivered, CancellationToken stoppingToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            connecting.CancelAfter(WriteTimeout);
            await tcp.ConnectAsync(settings.Host!, settings.Port, connecting.Token);
        }
        await using var stream = settings.Tls ? await SecureAsync(tcp, settings, stoppingToken) : (System.IO.Stream)tcp.GetStream();

        var sent = delivered;
        var inFlight = new Queue<(long Sequence, long SentAt)>();
        var renewedAt = clock.GetTimestamp();
        var recovered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var db = await contexts.CreateDbContextAsync(stoppingToken);
            var batch = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > sent).OrderBy(e => e.Sequence)
                .Take(settings.BatchSize).ToListAsync(stoppingToken);
            if (batch.Count > 0)
            {
                using var writing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                writing.CancelAfter(WriteTimeout);
                foreach (var e in batch)
                    await stream.WriteAsync(AuditSyslog.Frame(e, settings.Format, settings.Facility), writing.Token);
                await stream.FlushAsync(writing.Token);
                sent = batch[^1].Sequence;
                inFlight.Enqueue((sent, clock.GetTimestamp()));
            }
            if (PeerClosed(tcp))
                throw new StreamLost("the receiver closed the connection");

            var confirmed = delivered;
            while (inFlight.TryPeek(out var oldest) && clock.GetElapsedTime(oldest.SentAt) >= TimeSpan.FromSeconds(settings.ConfirmSeconds))
                confirmed = inFlight.Dequeue().Sequence;
            var renew = clock.GetElapsedTime(renewedAt) >= Lease / 3;
            if (confirmed != delivered || renew || !recovered)
            {
                if (!await SaveAsync(db, confirmed, stoppingToken))
                    return; // another instance holds the lease now: it resumes from the cursor
                delivered = confirmed;
                renewedAt = clock.GetTimestamp();
                recovered = true;
            }
            if (batch.Count < settings.BatchSize)
                await Task.Delay(Idle, clock, stoppingToken);
        }
    }

    private static async Task<System.IO.Stream> SecureAsync(TcpClient tcp, AuditStreamOptions settings, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
            settings.TlsCertificateSha256 is { Length: > 0 } pin
                ? certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())).Equals(pin, StringComparison.OrdinalIgnoreCase)
                : errors == SslPolicyErrors.None);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshake.CancelAfter(WriteTimeout);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = settings.TlsServerName ?? settings.Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, handshake.Token);
        return ssl;
    }

    /// <summary>A receiver that closed its end shows as readable with nothing to read (it never sends anything else).</summary>
    private static bool PeerClosed(TcpClient tcp)
    {
        var socket = tcp.Client;
        return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
    }

    /// <summary>Takes or renews the lease; the delivered cursor when this instance streams, null when another does.</summary>
    private async Task<long?> LeaseAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.AuditStreamCursors.AnyAsync(c => c.Name == AuditStreamCursor.DefaultName, cancellationToken))
        {
            db.AuditStreamCursors.Add(new AuditStreamCursor { UpdatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance created it at the same moment.
            }
        }
        var now = clock.GetUtcNow();
        var taken = await db.AuditStreamCursors
            .Where(c => c.Name == AuditStreamCursor.DefaultName && (c.LeaseOwner == _instance || c.LeaseUntil == null || c.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.LeaseOwner, _instance).SetProperty(c => c.LeaseUntil, now + Lease), cancellationToken);
        if (taken == 0)
            return null;
        return await db.AuditStreamCursors.AsNoTracking().Where(c => c.Name == AuditStreamCursor.DefaultName).Select(c => c.Delivered).SingleAsync(cancellationToken);
    }

    /// <summary>Moves the cursor forward and renews the lease, only while this instance holds it.</summary>
    private async Task<bool> SaveAsync(WardenDbContext db, long delivered, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var saved = await db.AuditStreamCursors
            .Where(c => c.Name == AuditStreamCursor.DefaultName && c.LeaseOwner == _instance)
            .ExecuteUpdateAsync(set => set
                .SetProperty(c => c.Delivered, c => c.Delivered > delivered ? c.Delivered : delivered)
                .SetProperty(c => c.UpdatedAt, now)
                .SetProperty(c => c.LeaseUntil, now + Lease)
                .SetProperty(c => c.LastError, (string?)null)
                .SetProperty(c => c.FailingSince, (DateTimeOffset?)null), cancellationToken);
        return saved == 1;
    }

    private async Task RecordFailureAsync(string error, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var message = error.Length > 300 ? error[..300] : error;
            await db.AuditStreamCursors
                .Where(c => c.Name == AuditStreamCursor.DefaultName && c.LeaseOwner == _instance)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(c => c.LastError, message)
                    .SetProperty(c => c.FailingSince, c => c.FailingSince ?? now), cancellationToken);
        }
#pragma warning disable CA1031 // The database may be down too: nothing to record it in; the log line says it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private sealed class StreamLost(string message) : Exception(message);

    private static partial class StreamLog
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Streaming the audit log to {Host}:{Port} failed ({Reason}); it resumes from the last delivered event.")]
        public static partial void Failed(ILogger logger, string host, int port, string reason);
    }
}
