using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Knative.Orleans.Silo.Eventing;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Silo.Tests.Eventing;

/// <summary>
/// <see cref="PlainHttpClient"/> against a scripted TCP server: each test says, per request, what bytes go back and whether
/// the connection is closed after them, and checks what the client made of it and which connections it used.
/// </summary>
public sealed class PlainHttpClientTests
{
    private static readonly byte[] Lines = "Content-Type: text/plain\r\nce-id: 1\r\n"u8.ToArray();

    private static Task<PlainHttpResponse> Post(PlainHttpClient client, ScriptedServer server, string body = "hi", int limit = 4096, int? replyLimit = null,
        CancellationToken cancellationToken = default) =>
        client.PostAsync(client.EndpointFor(new Uri(server.Url + "/p?q=1"), "sub.example")!, Lines, "Kn-Namespace: ns\r\n"u8.ToArray(), Encoding.ASCII.GetBytes(body),
            limit, replyLimit, cancellationToken).AsTask();

    [Fact]
    public async Task A_request_is_one_HTTP_1_1_POST_with_the_given_lines_and_the_connection_is_kept_for_the_next()
    {
        await using var server = new ScriptedServer(_ => Reply("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"));
        using var client = new PlainHttpClient();
        for (var i = 0; i < 3; i++)
        {
            var response = await Post(client, server, body: "body" + i);
            Assert.Equal((202, 0, true), (response.StatusCode, response.Body.Length, response.Complete));
        }

        Assert.Equal(1, client.Opened);
        Assert.Equal([0, 0, 0], server.Requests.Select(r => r.Connection));
        Assert.Equal("POST /p?q=1 HTTP/1.1\r\nHost: sub.example\r\nContent-Length: 5\r\nContent-Type: text/plain\r\nce-id: 1\r\nKn-Namespace: ns\r\n\r\nbody2",
            server.Requests[2].Raw);
    }

    [Fact]
    public async Task Bodies_framed_by_length_or_chunks_are_read_up_to_the_limit_and_the_rest_is_drained_to_keep_the_connection()
    {
        var responses = new Queue<string>([
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 10\r\n\r\n0123456789",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 503 Service Unavailable\r\nconnection: keep-alive\r\ncontent-length: 3\r\n\r\nabc",
        ]);
        await using var server = new ScriptedServer(_ => Reply(responses.Dequeue()));
        using var client = new PlainHttpClient();

        var cut = await Post(client, server, limit: 4);
        Assert.Equal((500, "0123", false), (cut.StatusCode, Encoding.ASCII.GetString(cut.Body), cut.Complete));
        var chunked = await Post(client, server);
        Assert.Equal((200, "hello world", true, "text/plain"), (chunked.StatusCode, Encoding.ASCII.GetString(chunked.Body), chunked.Complete, chunked.ContentType));
        var noContent = await Post(client, server);
        Assert.Equal((204, 0), (noContent.StatusCode, noContent.Body.Length));
        var lower = await Post(client, server);
        Assert.Equal((503, "abc"), (lower.StatusCode, Encoding.ASCII.GetString(lower.Body)));
        Assert.Equal(1, client.Opened);
    }

    [Fact]
    public async Task A_body_that_runs_to_the_end_of_the_connection_or_a_close_or_HTTP_1_0_answer_means_a_new_connection_next_time()
    {
        var responses = new Queue<(string, bool)>([
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", true),
            ("HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false), // the client closes it
            ("HTTP/1.0 202 Accepted\r\nContent-Length: 0\r\n\r\n", false),
            ("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", false),
        ]);
        await using var server = new ScriptedServer(_ => responses.Dequeue());
        using var client = new PlainHttpClient();

        var toEnd = await Post(client, server);
        Assert.Equal(("until the end", true), (Encoding.ASCII.GetString(toEnd.Body), toEnd.Complete));
        Assert.Equal(202, (await Post(client, server)).StatusCode);
        Assert.Equal(202, (await Post(client, server)).StatusCode);
        Assert.Equal(202, (await Post(client, server)).StatusCode);
        Assert.Equal([0, 1, 2, 3], server.Requests.Select(r => r.Connection));
        Assert.Equal(4, client.Opened);
    }

    [Fact]
    public async Task Replies_get_the_reply_limit_and_every_header_only_for_a_2xx_other_than_202()
    {
        var responses = new Queue<string>([
            "HTTP/1.1 200 OK\r\nce-specversion: 1.0\r\nce-id: r\r\nCE-ID: second\r\nContent-Length: 6\r\n\r\nreply!",
            "HTTP/1.1 202 Accepted\r\nce-specversion: 1.0\r\nContent-Length: 6\r\n\r\nreply!",
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nreply!",
        ]);
        await using var server = new ScriptedServer(_ => Reply(responses.Dequeue()));
        using var client = new PlainHttpClient();

        var reply = await Post(client, server, limit: 2, replyLimit: 100);
        Assert.Equal((true, "reply!", true, true), (reply.ReplyExpected, Encoding.ASCII.GetString(reply.Body), reply.Complete, reply.HasSpecVersion));
        Assert.Equal([KeyValuePair.Create("ce-specversion", (string?)"1.0"), KeyValuePair.Create("ce-id", (string?)"r"), KeyValuePair.Create("Content-Length", (string?)"6")],
            reply.Headers);
        var accepted = await Post(client, server, limit: 2, replyLimit: 100);
        Assert.Equal((false, "re", true, null), (accepted.ReplyExpected, Encoding.ASCII.GetString(accepted.Body), accepted.HasSpecVersion, accepted.Headers));
        var tooBig = await Post(client, server, limit: 2, replyLimit: 5);
        Assert.Equal((true, "reply", false), (tooBig.ReplyExpected, Encoding.ASCII.GetString(tooBig.Body), tooBig.Complete));
    }

    [Fact]
    public async Task A_connection_the_server_closed_while_idle_is_not_used_and_one_that_fails_before_any_answer_is_tried_once_on_a_new_one()
    {
        // Request 1 is answered and the connection then closed by the server (no Connection: close): the client notices
        // before the next request. Request 2 opens a new connection and is answered; request 3 reuses it, and the server
        // closes it without answering (as a server that timed it out at that moment does): sent again on a new connection.
        var script = new Queue<(string?, bool)>([("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", true), ("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", false),
            (null, true), ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false)]);
        await using var server = new ScriptedServer(_ => script.Dequeue());
        using var client = new PlainHttpClient();

        Assert.Equal(202, (await Post(client, server, body: "one")).StatusCode);
        await server.WaitClosedAsync(0);
        Assert.Equal(202, (await Post(client, server, body: "two")).StatusCode);
        var third = await Post(client, server, body: "three");
        Assert.Equal((200, "ok"), (third.StatusCode, Encoding.ASCII.GetString(third.Body)));
        Assert.Equal([(0, "one"), (1, "two"), (1, "three"), (2, "three")], server.Requests.Select(r => (r.Connection, r.Body)));
    }

    [Fact]
    public async Task A_new_connection_closed_without_an_answer_and_a_response_that_is_not_HTTP_are_errors_not_retried()
    {
        var script = new Queue<(string?, bool)>([(null, true), ("SSH-2.0-OpenSSH\r\n\r\n", true)]);
        await using var server = new ScriptedServer(_ => script.Dequeue());
        using var client = new PlainHttpClient();

        var closed = await Assert.ThrowsAsync<IOException>(() => Post(client, server));
        Assert.Equal("the server closed the connection without a response", closed.Message);
        var garbage = await Assert.ThrowsAsync<HttpRequestException>(() => Post(client, server));
        Assert.StartsWith("the response is not HTTP/1.x: SSH-2.0", garbage.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Cancelling_aborts_the_exchange_and_closes_its_connection_and_a_refused_connection_names_the_endpoint()
    {
        await using var server = new ScriptedServer(_ => (null, false)); // never answers, never closes
        using var client = new PlainHttpClient();
        using var cts = new CancellationTokenSource();
        var pending = Post(client, server, cancellationToken: cts.Token);
        await server.WaitRequestsAsync(1);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await server.WaitClosedAsync(0); // the client closed the connection

        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nothing listens there now
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.PostAsync(client.EndpointFor(new Uri($"http://127.0.0.1:{port}/"), null)!, Lines, default, [], 10, null, CancellationToken.None).AsTask());
        Assert.EndsWith($"(127.0.0.1:{port})", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_connections_are_dropped_after_the_idle_timeout_and_every_connection_after_its_lifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var server = new ScriptedServer(_ => Reply("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"));
        using var client = new PlainHttpClient(time);

        await Post(client, server);
        time.Advance(PlainHttpClient.IdleTimeout - TimeSpan.FromSeconds(1));
        await Post(client, server); // idle 59 s: kept
        time.Advance(PlainHttpClient.IdleTimeout + TimeSpan.FromSeconds(30)); // the scavenger runs every 30 s
        await server.WaitClosedAsync(0); // and closed it
        await Post(client, server);
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(50)); // used every 50 s, but 2 minutes old at the third
            await Post(client, server);
        }

        Assert.Equal([0, 0, 1, 1, 1, 2], server.Requests.Select(r => r.Connection));
    }

    [Fact]
    public void Only_plain_http_targets_with_ascii_paths_and_hosts_are_taken_and_the_host_defaults_to_the_authority()
    {
        using var client = new PlainHttpClient();
        Assert.Equal("POST /a/b?c=d HTTP/1.1\r\nHost: sub.ns.svc:8080\r\nContent-Length: ",
            Encoding.ASCII.GetString(client.EndpointFor(new Uri("http://sub.ns.svc:8080/a/b?c=d"), null)!.RequestPrefix));
        var v6 = client.EndpointFor(new Uri("http://[::1]/x%20y"), "hello.ns.example.com")!;
        Assert.Equal(("::1", 80), v6.Key);
        Assert.Equal("POST /x%20y HTTP/1.1\r\nHost: hello.ns.example.com\r\nContent-Length: ", Encoding.ASCII.GetString(v6.RequestPrefix));
        Assert.Null(client.EndpointFor(new Uri("https://sub/"), null));
        Assert.Null(client.EndpointFor(new Uri("http://user:pw@sub/"), null));
        Assert.Null(client.EndpointFor(new Uri("http://sub/"), "h\u00e9llo"));
    }

    private static (string?, bool) Reply(string response) => (response, false);

    /// <summary>A TCP server answering each request (head plus Content-Length body) as a script says.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Func<Request, (string? Response, bool Close)> _script;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TaskCompletionSource> _closed = [];
        private readonly Channel<Request> _seen = Channel.CreateUnbounded<Request>();
        private readonly Task _accepting;
        private readonly List<Task> _connections = [];

        public ScriptedServer(Func<Request, (string? Response, bool Close)> script)
        {
            _script = script;
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _accepting = AcceptAsync();
        }

        public string Url { get; }

        public List<Request> Requests { get; } = [];

        public async Task WaitClosedAsync(int connection)
        {
            Task closed;
            lock (_closed)
            {
                closed = _closed[connection].Task;
            }

            await closed.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public async Task WaitRequestsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await _seen.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            await Task.WhenAll(_connections);
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            for (var index = 0; ; index++)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_closed)
                {
                    _closed.Add(closed);
                }

                _connections.Add(ServeAsync(socket, index, closed));
            }
        }

        private async Task ServeAsync(Socket socket, int index, TaskCompletionSource closed)
        {
            using var _ = socket;
            var buffer = new List<byte>();
            var chunk = new byte[8192];
            try
            {
                while (true)
                {
                    var text = Encoding.ASCII.GetString(buffer.ToArray());
                    var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headEnd >= 0)
                    {
                        var lengthLine = text[..headEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length: ", StringComparison.Ordinal));
                        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                        if (buffer.Count >= headEnd + 4 + length)
                        {
                            var request = new Request(index, text[..(headEnd + 4 + length)], text.Substring(headEnd + 4, length));
                            buffer.RemoveRange(0, headEnd + 4 + length);
                            lock (Requests)
                            {
                                Requests.Add(request);
                            }

                            _seen.Writer.TryWrite(request);
                            var (response, close) = _script(request);
                            if (response is not null)
                            {
                                await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None, _stop.Token);
                            }

                            if (close)
                            {
                                return;
                            }

                            continue;
                        }
                    }

                    var read = await socket.ReceiveAsync(chunk, SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        return; // closed by the client
                    }

                    buffer.AddRange(chunk.AsSpan(0, read).ToArray());
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
            finally
            {
                socket.Close();
                closed.TrySetResult();
            }
        }
    }

    /// <summary>One request as received: its connection (in accept order), the raw bytes as text, and its body.</summary>
    public sealed record Request(int Connection, string Raw, string Body);
}
