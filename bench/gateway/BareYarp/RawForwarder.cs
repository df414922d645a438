using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// A feasibility probe, not a product path (bench/gateway, <c>--mode=raw</c>): forwards a bodiless HTTP/1.1 request over
/// a pooled keep-alive socket with the request head written by hand and a Content-Length answer parsed by hand, to
/// measure what a reverse proxy on Kestrel costs without <c>SocketsHttpHandler</c> and YARP's per-request objects.
/// Chunked answers, request bodies, upgrades and most errors are out of scope; a reused connection the upstream closed
/// (nginx closes one after <c>keepalive_requests</c>) is retried once on a new one, as a real proxy does.
/// </summary>
internal sealed class RawForwarder(string host, int port)
{
    private readonly ConcurrentBag<Connection> _idle = [];
    private readonly byte[] _hostLine = Encoding.ASCII.GetBytes($"Host: {host}:{port}\r\n");

    public async Task ForwardAsync(HttpContext context)
    {
        if (_idle.TryTake(out var idle))
        {
            try
            {
                await ForwardAsync(context, idle);
                return;
            }
            catch (Exception e) when (e is IOException or SocketException && !context.Response.HasStarted)
            {
                idle.Socket.Dispose(); // closed by the upstream while idle (nginx: keepalive_requests): once more, fresh
                context.Response.Headers.Clear();
            }
        }

        await ForwardAsync(context, await Connection.OpenAsync(host, port));
    }

    private async Task ForwardAsync(HttpContext context, Connection connection)
    {
        var request = context.Request;
        var head = new MemoryStream(512);
        Write(head, request.Method);
        Write(head, " ");
        Write(head, request.Path.HasValue ? request.Path.Value! : "/");
        Write(head, request.QueryString.Value ?? "");
        Write(head, " HTTP/1.1\r\n");
        head.Write(_hostLine);
        foreach (var header in request.Headers)
        {
            if (header.Key is "Host" or "Connection")
            {
                continue;
            }

            Write(head, header.Key);
            Write(head, ": ");
            Write(head, header.Value.ToString());
            Write(head, "\r\n");
        }

        Write(head, "X-Forwarded-For: ");
        Write(head, context.Connection.RemoteIpAddress?.ToString() ?? "");
        Write(head, "\r\n\r\n");
        await connection.Socket.SendAsync(head.GetBuffer().AsMemory(0, (int)head.Length));

        // Read until the end of the head, then the Content-Length body.
        var buffer = connection.Buffer;
        var filled = 0;
        int end;
        while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            var read = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                throw new IOException("upstream closed");
            }

            filled += read;
        }

        var headText = Encoding.ASCII.GetString(buffer, 0, end);
        var lines = headText.Split("\r\n");
        var response = context.Response;
        response.StatusCode = int.Parse(lines[0].AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var length = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            var name = lines[i][..colon];
            var value = lines[i][(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && !name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
            }
        }

        var bodyStart = end + 4;
        while (filled - bodyStart < length)
        {
            var read = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                throw new IOException("upstream closed");
            }

            filled += read;
        }

        response.ContentLength = length;
        await response.Body.WriteAsync(buffer.AsMemory(bodyStart, length));
        _idle.Add(connection);
    }

    private static void Write(MemoryStream stream, string text)
    {
        Span<byte> bytes = stackalloc byte[Encoding.ASCII.GetMaxByteCount(text.Length)];
        stream.Write(bytes[..Encoding.ASCII.GetBytes(text, bytes)]);
    }

    private sealed class Connection(Socket socket)
    {
        public Socket Socket { get; } = socket;

        public byte[] Buffer { get; } = new byte[16 * 1024];

        public static async Task<Connection> OpenAsync(string host, int port)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port);
            return new Connection(socket);
        }
    }
}
