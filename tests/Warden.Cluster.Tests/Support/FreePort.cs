using System.Net;
using System.Net.Sockets;

namespace Warden.Cluster.Tests.Support;

public static class FreePort
{
    /// <summary>A TCP port nothing listens on right now (the caller binds it soon after; a clash shows in the start-up output).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
