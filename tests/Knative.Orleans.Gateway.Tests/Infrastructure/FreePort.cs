using System.Net;
using System.Net.Sockets;

namespace Knative.Orleans.Gateway.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (callers retry if someone took it since).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a Kestrel app on free ports, retrying when a port was taken in between.</summary>
    public static async Task<(WebApplication App, int[] Ports)> StartAsync(int portCount, Func<int[], WebApplication> build)
    {
        for (var attempt = 0; ; attempt++)
        {
            var ports = Enumerable.Range(0, portCount).Select(_ => Next()).ToArray();
            var app = build(ports);
            try
            {
                await app.StartAsync();
                return (app, ports);
            }
            catch (IOException) when (attempt < 5)
            {
                await app.DisposeAsync();
            }
        }
    }
}
