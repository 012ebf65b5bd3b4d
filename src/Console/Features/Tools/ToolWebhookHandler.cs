using System.Net;
using System.Net.Sockets;

namespace Warden.Features.Tools;

/// <summary>
/// How Warden connects to tools: no redirects (a tool answers where it was asked, or the request
/// fails), and never to an address a tool has no business on: link-local addresses (the cloud
/// metadata services among them) and unspecified or multicast ones. The check is made on the address
/// actually connected to, after name resolution, so a name that resolves elsewhere later cannot
/// slip past it. Loopback and private networks stay allowed: tools usually live inside them.
/// </summary>
public static class ToolWebhookHandler
{
    public static SocketsHttpHandler Create() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };

    public static bool IsRefused(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.Any.Equals(address) || IPAddress.IPv6Any.Equals(address) || IPAddress.Broadcast.Equals(address))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.IsIPv6SiteLocal;
        var bytes = address.GetAddressBytes();
        return (bytes[0] == 169 && bytes[1] == 254) || bytes[0] >= 224 || bytes[0] == 0;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => !IsRefused(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to addresses Warden does not send tool requests to (link-local, multicast or unspecified).");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
