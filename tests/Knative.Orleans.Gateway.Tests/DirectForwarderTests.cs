using System.Net;
using System.Net.Sockets;
using System.Text;
using Knative.Orleans.Gateway.Proxy;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>
/// The gateway's own HTTP/1.1 forwarder against an instance scripted byte by byte (<see cref="ScriptedUpstream"/>):
/// framing of every kind, split across packets; connection reuse and when not to; 1xx; malformed answers; what is
/// sent upstream. Each test runs the real gateway on Kestrel with its default forwarder.
/// </summary>
public sealed class DirectForwarderTests : IAsyncLifetime
{
    private const string Host = "raw.default.example.com";
    private readonly FakeRoutingSource _source = new();
    private GatewayHost _gateway = null!;
    private ScriptedUpstream? _upstream;

    public async Task InitializeAsync()
    {
        _source.AddService("default", "raw", [("raw-00001", 100)]);
        _gateway = await GatewayHost.StartAsync(_source);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_body_that_arrives_after_the_head_in_another_packet_is_passed_whole()
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n");
            await ScriptedUpstream.WriteAsync(s, "Hello ");
            await ScriptedUpstream.WriteAsync(s, "world!");
            return true;
        });

        for (var i = 0; i < 3; i++)
        {
            using var response = await _gateway.SendAsync(Host, "/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Hello world!", await response.Content.ReadAsStringAsync());
            Assert.Equal(12, response.Content.Headers.ContentLength);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
        }

        Assert.Equal(1, _upstream!.Connections); // kept alive and reused
        Assert.Equal([1, 2, 3], _upstream.Requests.Select(r => r.Index));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\n\r\n", "hello")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n")]
    public async Task The_end_of_a_body_that_arrives_after_the_headers_were_passed_on_is_flushed(string framing, string body)
    {
        // Headers reach the client first (flushed while the gateway waits for the body); the rest must be flushed too,
        // not left in Kestrel's pipe until the next response on the client's connection.
        var clientHasHeaders = new TaskCompletionSource();
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\n" + framing);
            await clientHasHeaders.Task;
            await ScriptedUpstream.WriteAsync(s, body);
            return true;
        });

        using var response = await _gateway.SendAsync(Host, "/", completion: HttpCompletionOption.ResponseHeadersRead);
        clientHasHeaders.SetResult();

        // Bounded so that the bug shows as a failure rather than a hung run; the answer takes milliseconds.
        Assert.Equal("hello", await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_chunked_body_is_decoded_across_packets_and_the_connection_reused()
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nHel");
            await ScriptedUpstream.WriteAsync(s, "lo\r\n");
            await ScriptedUpstream.WriteAsync(s, "1");
            await ScriptedUpstream.WriteAsync(s, "\r\n \r\n0\r\nX-Trailer: dropped\r\n\r\n");
            return true;
        });

        for (var i = 0; i < 2; i++)
        {
            using var response = await _gateway.SendAsync(Host, "/");
            Assert.Equal("Hello ", await response.Content.ReadAsStringAsync());
            Assert.True(response.Headers.TransferEncodingChunked);
            Assert.False(response.TrailingHeaders.Contains("X-Trailer"));
        }

        Assert.Equal(1, _upstream!.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\nuntil the end")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 13\r\n\r\nuntil the end")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 13\r\n\r\nuntil the end")]
    public async Task A_connection_the_instance_closes_is_not_reused(string answer)
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, answer);
            return false; // close
        });

        for (var i = 0; i < 2; i++)
        {
            using var response = await _gateway.SendAsync(Host, "/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("until the end", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, _upstream!.Connections);
        Assert.Equal(0, _gateway.Get<DirectForwarder>().IdleConnections);
    }

    [Fact]
    public async Task Head_204_and_304_answers_have_no_body_and_keep_the_connection()
    {
        Upstream(async (r, s) =>
        {
            var answer = r.RequestLine.StartsWith("HEAD", StringComparison.Ordinal) ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
                : r.RequestLine.Contains("/nothing", StringComparison.Ordinal) ? "HTTP/1.1 204 No Content\r\n\r\n"
                : "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n";
            await ScriptedUpstream.WriteAsync(s, answer);
            return true;
        });

        using (var head = await _gateway.SendAsync(Host, "/", HttpMethod.Head))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(1234, head.Content.Headers.ContentLength);
        }

        using (var none = await _gateway.SendAsync(Host, "/nothing"))
        {
            Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);
            Assert.Empty(await none.Content.ReadAsByteArrayAsync());
        }

        using (var cached = await _gateway.SendAsync(Host, "/cached"))
        {
            Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
            Assert.Equal("\"v1\"", cached.Headers.ETag?.ToString());
        }

        Assert.Equal(1, _upstream!.Connections);
    }

    [Fact]
    public async Task Interim_1xx_answers_are_skipped()
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n");
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });

        using var response = await _gateway.SendAsync(Host, "/");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task A_kept_alive_connection_the_instance_closed_is_retried_on_a_new_one()
    {
        // Says keep-alive, then closes after each answer without telling (a keep-alive timeout racing the next request).
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return false;
        });

        for (var i = 0; i < 3; i++)
        {
            using var response = await _gateway.SendAsync(Host, "/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, _upstream!.Requests.Count); // each request processed once
        Assert.Equal(3, _upstream.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/2 200\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n folded: x\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad: caf\u00e9\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("")]
    public async Task A_malformed_or_missing_answer_is_502(string answer)
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, answer);
            return false;
        });

        using var response = await _gateway.SendAsync(Host, "/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(response.Headers.Contains("X-Bad"));
    }

    [Fact]
    public async Task A_response_head_longer_than_64_KiB_is_502()
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', DirectForwarder.MaxResponseHeadBytes) + "\r\n\r\n");
            return false;
        });

        using var response = await _gateway.SendAsync(Host, "/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", "zz\r\n")]
    public async Task A_body_cut_short_or_broken_after_the_response_started_aborts_the_client_connection(string answer, string? more = null)
    {
        // What arrived is passed on before the gateway waits for more, so the client has the start of the response
        // when the instance closes or sends a broken chunk line.
        var sent = new TaskCompletionSource();
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, answer);
            await sent.Task; // the client has the headers: a reset now cannot overtake them
            if (more is not null)
            {
                await ScriptedUpstream.WriteAsync(s, more);
            }

            return false;
        });

        using var response = await _gateway.SendAsync(Host, "/", completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        sent.SetResult();

        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task A_broken_body_that_arrives_with_the_head_ends_the_client_connection()
    {
        // The instance's headers are the response start: what follows is cut, not rewritten into a 502, even when
        // nothing had been passed on yet.
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
            return false;
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => _gateway.SendAsync(Host, "/"));
    }

    [Fact]
    public async Task The_request_keeps_method_raw_target_host_and_headers_and_gets_the_forwarding_headers()
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            return true;
        });

        using var response = await _gateway.SendAsync(Host + ":8080", "/a%2Fb/c?q=1%20x&r=%C3%A9", HttpMethod.Delete, configure: r =>
        {
            r.Headers.TryAddWithoutValidation("X-Custom", "one");
            r.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
            r.Headers.TryAddWithoutValidation("Knative-Serving-Revision", "forged");
            r.Headers.TryAddWithoutValidation("Connection", "X-Hop");
            r.Headers.TryAddWithoutValidation("X-Hop", "dropped");
            r.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
            r.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic Zm9vOmJhcg==");
            r.Headers.TryAddWithoutValidation("TE", "trailers");
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var seen = Assert.Single(_upstream!.Requests);
        Assert.Equal("DELETE /a%2Fb/c?q=1%20x&r=%C3%A9 HTTP/1.1", seen.RequestLine);
        Assert.Equal([Host + ":8080"], seen.Values("Host"));
        Assert.Equal(["one"], seen.Values("X-Custom"));
        Assert.Equal(["203.0.113.9, 127.0.0.1"], seen.Values("X-Forwarded-For"));
        Assert.Equal(["http"], seen.Values("X-Forwarded-Proto"));
        Assert.Equal([Host + ":8080"], seen.Values("X-Forwarded-Host"));
        Assert.Equal([$"for=127.0.0.1;host=\"{Host}:8080\";proto=http"], seen.Values("Forwarded"));
        foreach (var dropped in new[] { "Knative-Serving-Revision", "Connection", "X-Hop", "Keep-Alive", "Proxy-Authorization", "TE" })
        {
            Assert.Empty(seen.Values(dropped));
        }
    }

    [Fact]
    public async Task The_response_keeps_its_reason_and_repeated_headers_and_loses_hop_by_hop_ones()
    {
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s,
                "HTTP/1.1 200 Fine Thanks\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nServer: scripted\r\nConnection: X-Hop\r\n"
                + "X-Hop: dropped\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n");
            return true;
        });

        using var response = await _gateway.SendAsync(Host, "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Fine Thanks", response.ReasonPhrase);
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("scripted", response.Headers.Server.ToString());
        Assert.False(response.Headers.Contains("X-Hop"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
    }

    [Fact]
    public async Task Requests_with_a_body_go_through_yarp()
    {
        // The scripted instance reads no body: YARP sends the body, which the next "request head" would then contain.
        // So the instance only checks that the request reached it with its framing, as YARP sends it.
        Upstream(async (r, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return false;
        });

        using var response = await _gateway.SendAsync(Host, "/", HttpMethod.Post, new StringContent("abc"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["3"], Assert.Single(_upstream!.Requests).Values("Content-Length"));
        Assert.Equal(0, _gateway.Get<DirectForwarder>().IdleConnections);
    }

    [Fact]
    public async Task Idle_connections_are_closed_after_a_minute_and_a_quiet_instance_s_pool_is_dropped()
    {
        var time = new FakeTimeProvider();
        await using var gateway = await GatewayHost.StartAsync(_source, s => s.AddSingleton<TimeProvider>(time));
        var closedByGateway = new TaskCompletionSource();
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            if (await s.ReadAsync(new byte[1]) == 0)
            {
                closedByGateway.TrySetResult(); // the gateway closed the idle connection
            }

            return false;
        });
        var forwarder = gateway.Get<DirectForwarder>();

        using (var first = await gateway.SendAsync(Host, "/"))
        {
            Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, forwarder.IdleConnections);
        time.Advance(TimeSpan.FromSeconds(30)); // first sweep: idle 30 s, kept
        Assert.Equal(1, forwarder.IdleConnections);
        time.Advance(TimeSpan.FromSeconds(30)); // second sweep: idle a minute, closed
        Assert.Equal(0, forwarder.IdleConnections);
        await closedByGateway.Task.WaitAsync(TimeSpan.FromSeconds(30)); // bound: a hang shows as a failure

        using var second = await gateway.SendAsync(Host, "/");
        Assert.Equal("ok", await second.Content.ReadAsStringAsync());
        Assert.Equal(2, _upstream!.Connections);
    }

    [Fact]
    public async Task A_client_that_resets_its_connection_mid_body_gets_the_instance_connection_closed()
    {

        var closedByGateway = new TaskCompletionSource();
        Upstream(async (_, s) =>
        {
            await ScriptedUpstream.WriteAsync(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
            if (await s.ReadAsync(new byte[1]) == 0)
            {
                closedByGateway.TrySetResult(); // the rest of the body is never sent: only the gateway can end this
            }

            return false;
        });

        // A raw client, so that it can reset its connection (HttpClient may keep reading to reuse it).
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, _gateway.Client.BaseAddress!.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n"));
            var received = new StringBuilder();
            var buffer = new byte[1024];
            while (!received.ToString().Contains("first", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                Assert.NotEqual(0, read);
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            client.Client.LingerState = new LingerOption(true, 0); // close with RST
        }

        await closedByGateway.Task.WaitAsync(TimeSpan.FromSeconds(30)); // bound: a hang shows as a failure
        Assert.Equal(0, _gateway.Get<DirectForwarder>().IdleConnections);
    }

    [Theory]
    [InlineData("GET", "HTTP/1.1", null, false, false, false, null, true)]
    [InlineData("GET", "HTTP/1.0", null, false, false, false, null, true)]
    [InlineData("POST", "HTTP/1.1", 0L, true, false, false, null, true)]
    [InlineData("POST", "HTTP/1.1", 3L, true, false, false, null, false)]
    [InlineData("POST", "HTTP/1.1", null, true, false, false, null, false)] // chunked
    [InlineData("GET", "HTTP/2", null, false, false, false, null, false)]
    [InlineData("GET", "HTTP/1.1", null, false, true, false, null, false)]  // upgrade
    [InlineData("GET", "HTTP/1.1", null, false, false, true, null, false)]  // h2c instance
    [InlineData("GET", "HTTP/1.1", null, false, false, false, "100-continue", false)]
    public void Only_bodiless_http1_requests_without_upgrade_or_expect_to_http1_instances_are_forwarded_directly(
        string method, string protocol, long? contentLength, bool canHaveBody, bool upgrade, bool http2Instance, string? expect, bool direct)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Protocol = protocol;
        context.Request.ContentLength = contentLength;
        context.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(canHaveBody));
        context.Features.Set<IHttpUpgradeFeature>(new Upgrade(upgrade));
        if (expect is not null)
        {
            context.Request.Headers.Expect = expect;
        }

        Assert.Equal(direct, DirectForwarder.CanForward(context, http2Instance));
    }

    private void Upstream(Func<ScriptedUpstream.Request, Stream, Task<bool>> handler)
    {
        _upstream = ScriptedUpstream.Start(handler);
        _source.SetEndpoints("default/raw-00001", 1, [_upstream.Url]);
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }

    private sealed class Upgrade(bool upgradable) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => upgradable;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }
}
