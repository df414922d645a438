using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Knative.Orleans.Gateway.Tests.Infrastructure;

/// <summary>
/// An instance that speaks HTTP/1.1 by hand on a loopback port, so a test controls every byte and every packet of the
/// response (separate writes, bad framing, closes at chosen moments). For each request head it reads, it calls the
/// test's handler with the head and the connection's stream; the handler writes the response and says whether the
/// connection stays open.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Request, Stream, Task<bool>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _accepting;
    private int _connections;

    private ScriptedUpstream(Func<Request, Stream, Task<bool>> handler)
    {
        _handler = handler;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>A request as the instance received it.</summary>
    /// <param name="Head">The request head, CRLFs included.</param>
    /// <param name="Connection">1 for the first connection accepted, 2 for the next …</param>
    /// <param name="Index">1 for the first request on its connection, 2 for the next …</param>
    public sealed record Request(string Head, int Connection, int Index)
    {
        public string RequestLine => Head[..Head.IndexOf("\r\n", StringComparison.Ordinal)];

        /// <summary>Every value of header <paramref name="name"/>, in order.</summary>
        public IReadOnlyList<string> Values(string name) =>
            [.. Head.Split("\r\n").Skip(1)
                .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
                .Select(l => l[(name.Length + 1)..].Trim())];
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request received, in order of arrival.</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    public static ScriptedUpstream Start(Func<Request, Stream, Task<bool>> handler) => new(handler);

    /// <summary>Writes <paramref name="text"/> (Latin-1) and flushes: one write, usually one packet.</summary>
    public static async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text));
        await stream.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            client.NoDelay = true;
            _clients.Add(client);
            _ = ServeAsync(client, Interlocked.Increment(ref _connections));
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[64 * 1024];
            var filled = 0;
            for (var index = 1; ; index++)
            {
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                var request = new Request(Encoding.Latin1.GetString(buffer, 0, end + 4), connection, index);
                buffer.AsSpan(end + 4, filled - end - 4).CopyTo(buffer);
                filled -= end + 4;
                Requests.Enqueue(request);
                if (!await _handler(request, stream))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }
}
