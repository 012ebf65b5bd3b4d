using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Warden.ClusterBench;

/// <summary>
/// A TCP relay between one instance and PostgreSQL that, once <see cref="Cut"/>, closes every
/// connection that has sent or sends <c>LISTEN</c>, and nothing else. Terminating the follower's
/// backend by its application name also kills the instance's confirming reads (they share the name
/// and the pool), so it cannot tell "no notifications" from "no database"; this relay takes away the
/// notification connection alone: the follower keeps reconnecting and is cut each time it listens,
/// while every other statement of the instance passes.
/// </summary>
internal sealed class ListenCutter : IAsyncDisposable
{
    private static readonly byte[] Listen = Encoding.ASCII.GetBytes("LISTEN ");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Pair, bool> _pairs = new();
    private readonly Task _accepting;
    private long _cuts;

    public ListenCutter(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections closed because they listened while cut.</summary>
    public long Cuts => Interlocked.Read(ref _cuts);

    public bool IsCut { get; private set; }

    /// <summary>From now on no connection through the relay may listen: those that did are closed.</summary>
    public void Cut()
    {
        IsCut = true;
        foreach (var pair in _pairs.Keys.Where(p => p.Listened))
            Close(pair);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        var pair = new Pair(client, server);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            _pairs[pair] = true;
            var up = PumpAsync(pair, client.GetStream(), server.GetStream(), watch: true);
            var down = PumpAsync(pair, server.GetStream(), client.GetStream(), watch: false);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Close(pair);
        }
    }

    private async Task PumpAsync(Pair pair, NetworkStream from, NetworkStream to, bool watch)
    {
        var buffer = new byte[16 * 1024];
        var tail = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                    return;
                if (watch)
                {
                    // The statement text travels in clear (Parse or Query message); a match split over
                    // two reads is caught by looking at the end of the previous read too.
                    var window = tail.Concat(buffer.AsSpan(0, read).ToArray()).ToArray();
                    if (window.AsSpan().IndexOf(Listen) >= 0)
                    {
                        pair.Listened = true;
                        if (IsCut)
                        {
                            Interlocked.Increment(ref _cuts);
                            Close(pair);
                            return;
                        }
                    }
                    tail = window[Math.Max(0, window.Length - Listen.Length)..];
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private void Close(Pair pair)
    {
        _pairs.TryRemove(pair, out _);
        pair.Client.Close();
        pair.Server.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var pair in _pairs.Keys)
            Close(pair);
        await _accepting;
        _stop.Dispose();
    }

    private sealed class Pair(TcpClient client, TcpClient server)
    {
        public TcpClient Client { get; } = client;

        public TcpClient Server { get; } = server;

        public volatile bool Listened;
    }
}
