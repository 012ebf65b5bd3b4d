using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Warden.Tests.Features.AuditLog;

/// <summary>
/// A SIEM's syslog receiver on a real TCP port: reads RFC 6587 octet-counted frames (optionally under
/// TLS) and keeps every message. It can be stopped and started again on the same port, as a receiver
/// restarting would; what it had not read when it stopped is lost, as it would be.
/// </summary>
internal sealed class SyslogListener : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private readonly List<Task> _connections = [];
    private Task? _accepting;

    public SyslogListener(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public ConcurrentQueue<string> Messages { get; } = new();

    public int Connections;

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        var stop = _stop.Token;
        var listener = _listener;
        _accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref Connections);
                lock (_connections)
                    _connections.Add(Task.Run(() => ReadAsync(client, stop), CancellationToken.None));
            }
        }, CancellationToken.None);
    }

    public async Task StopAsync()
    {
        _stop?.Cancel();
        _listener?.Stop();
        if (_accepting is not null)
            await _accepting;
        Task[] reading;
        lock (_connections)
            reading = [.. _connections];
        await Task.WhenAll(reading);
        lock (_connections)
            _connections.Clear();
    }

    private async Task ReadAsync(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                    stream = ssl;
                }
                await using (stream)
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var length = await ReadLengthAsync(stream, stop);
                        if (length is null)
                            return;
                        var message = new byte[length.Value];
                        await stream.ReadExactlyAsync(message, stop);
                        Messages.Enqueue(Encoding.UTF8.GetString(message));
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException or EndOfStreamException)
            {
                // The receiver stopped or the sender went away.
            }
        }
    }

    private static async Task<int?> ReadLengthAsync(Stream stream, CancellationToken stop)
    {
        var digits = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, stop) == 0)
                return null;
            if (one[0] == (byte)' ')
                return int.Parse(digits.ToString(), System.Globalization.CultureInfo.InvariantCulture);
            if (one[0] is < (byte)'0' or > (byte)'9' || digits.Length > 9)
                throw new IOException("not octet-counted framing");
            digits.Append((char)one[0]);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
