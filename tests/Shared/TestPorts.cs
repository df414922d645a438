using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Knative.Orleans.Tests.Shared;

/// <summary>
/// Ports for servers the tests start (platforms, subscribers, redis-server), chosen below the kernel's ephemeral range.
/// A port taken from the ephemeral range (bind to 0, then release) can be handed to any process's outgoing connection
/// before the server binds it; under a full parallel run that happened ("address already in use" at platform start).
/// Below the range no outgoing connection takes it; a random start and a check that it binds keep parallel test
/// processes apart.
/// </summary>
public static class TestPorts
{
    private static readonly (int Low, int High) Range = ChooseRange();
    private static int _next = Random.Shared.Next(Range.Low, Range.High);

    /// <summary>A port on 127.0.0.1 that was free a moment ago and that no outgoing connection is given.</summary>
    public static int Free()
    {
        for (var tries = 0; tries < 1000; tries++)
        {
            var port = Range.Low + (int)((uint)Interlocked.Increment(ref _next) % (uint)(Range.High - Range.Low));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // in use: the next one
            }
        }

        throw new InvalidOperationException($"no free port in {Range.Low}-{Range.High}");
    }

    // [10000, start of the ephemeral range), at most 20000 ports; the range comes from the kernel when it says.
    private static (int, int) ChooseRange()
    {
        var ephemeralStart = 32768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(text[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // not Linux: the IANA dynamic range starts at 49152, 32768 is below it
        }

        var high = Math.Max(ephemeralStart, 12000);
        return (Math.Max(10000, high - 20000), high);
    }
}
