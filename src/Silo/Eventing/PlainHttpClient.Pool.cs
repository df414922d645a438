using System.Net;
using System.Net.Sockets;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>The pool: idle connections per host and port, new connections, and the scavenger.</summary>
internal sealed partial class PlainHttpClient
{
    private Connection? TakeIdle(PlainHttpEndpoint endpoint)
    {
        if (!_idle.TryGetValue(endpoint.Key, out var stack))
        {
            return null;
        }

        var now = _time.GetTimestamp();
        while (true)
        {
            Connection? connection;
            lock (stack)
            {
                if (!stack.TryPop(out connection))
                {
                    return null;
                }
            }

            if (Fresh(connection, now) && connection.StillOpen())
            {
                connection.Reused = true;
                return connection;
            }

            connection.Dispose();
        }
    }

    private void Return(PlainHttpEndpoint endpoint, Connection connection)
    {
        var stack = _idle.GetOrAdd(endpoint.Key, static _ => new Stack<Connection>());
        connection.IdleSince = _time.GetTimestamp();
        lock (stack)
        {
            stack.Push(connection);
        }
    }

    private bool Fresh(Connection connection, long now) =>
        _time.GetElapsedTime(connection.IdleSince, now) < IdleTimeout && _time.GetElapsedTime(connection.Opened, now) < Lifetime;

    private void Scavenge()
    {
        var now = _time.GetTimestamp();
        foreach (var stack in _idle.Values)
        {
            Connection[] idle;
            lock (stack)
            {
                idle = stack.ToArray(); // top first
                stack.Clear();
                for (var i = idle.Length - 1; i >= 0; i--)
                {
                    if (Fresh(idle[i], now))
                    {
                        stack.Push(idle[i]); // the most recently used back on top
                    }
                }
            }

            foreach (var connection in idle)
            {
                if (!Fresh(connection, now))
                {
                    connection.Dispose();
                }
            }
        }
    }

    private async Task<Connection> ConnectAsync(PlainHttpEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IPAddress.TryParse(endpoint.Host, out var address))
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(new DnsEndPoint(endpoint.Host, endpoint.Port), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HttpRequestException($"{e.Message} ({endpoint.Host}:{endpoint.Port})", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Increment(ref _opened);
        return new Connection(socket, _time.GetTimestamp());
    }
}
