using System.Net;
using System.Text;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Forwarder;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>
/// timeoutSeconds, responseStartTimeoutSeconds and idleTimeoutSeconds with Knative's codes and bodies, on real Kestrel
/// both sides. The gateway's clock is scripted: each test brings the request to the state it wants (queued, forwarded,
/// streaming), then moves time past the timer and awaits the answer. Nothing sleeps and nothing measures time.
/// Every test runs with each forwarder (<c>Gateway:Forwarder</c>): the gateway's own and YARP.
/// </summary>
public abstract class TimeoutTests(string forwarder) : IAsyncLifetime
{
    private const string Rev = "default/slow-00001";
    private const string Host = "slow.default.example.com";
    private readonly FakeRoutingSource _source = new();
    private readonly FakeTimeProvider _time = new();
    private readonly SignalingTransformer _transformer = new();
    private TestBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("slow");
        _source.AddService("default", "slow", [("slow-00001", 100)]);
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Queued_longer_than_timeout_seconds_gives_504_activator_request_timeout()
    {
        // CC 1 and the only slot taken (held here): the request waits in the queue, and the queue time counts.
        await using var gateway = await StartAsync(timeoutSeconds: 1, containerConcurrency: 1);
        var throttler = gateway.Get<ThrottlerRegistry>().Get(Rev);
        var holderTimers = new RequestTimers(_time.GetTimestamp(), _time);
        var holder = await throttler.AcquireAsync(holderTimers, null, CancellationToken.None);
        holderTimers.Dispose(); // the holder keeps its slot whatever the clock does

        var request = gateway.SendAsync(Host, "/slow");
        await Eventually.True(() => throttler.Queued == 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        using var queued = await request;

        Assert.Equal(HttpStatusCode.GatewayTimeout, queued.StatusCode);
        Assert.Equal("activator request timeout", await queued.Content.ReadAsStringAsync());
        Assert.Equal(0, throttler.Queued);
        Assert.Equal(0, _backend.InFlight);
        holder.Slot!.Dispose();
    }

    [Fact]
    public async Task Forwarded_and_silent_past_timeout_seconds_gives_504_request_timeout()
    {
        await using var gateway = await StartAsync(timeoutSeconds: 1);

        using var response = await ForwardThenAdvanceAsync(gateway, "/silent", TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Timeout_seconds_after_the_response_started_aborts_the_response()
    {
        await using var gateway = await StartAsync(timeoutSeconds: 1);

        // The status stays 200, but the body ends in an error rather than looking complete.
        await AssertTruncatedAfterFirstChunkAsync(gateway, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Timeout_seconds_after_headers_only_aborts_the_connection()
    {
        // The instance sent its headers (the response start) and then nothing: too late for a 504.
        await using var gateway = await StartAsync(timeoutSeconds: 1);
        if (forwarder == GatewayOptions.YarpForwarder)
        {
            // YARP passes the headers on with the first body bytes: the client sees a connection closed without a status line.
            var request = gateway.SendAsync(Host, "/headers-then-stall");
            await _transformer.ResponseStarted.Task;

            _time.Advance(TimeSpan.FromSeconds(1));

            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => request);
            Assert.IsAssignableFrom<IOException>(failure.InnerException); // connection closed, no status line
            return;
        }

        // The direct forwarder passes the headers on as soon as it has them: the body then ends in an error.
        using var response = await gateway.SendAsync(Host, "/headers-then-stall", completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();

        _time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task Response_start_timeout_gives_504_request_timeout_before_timeout_seconds()
    {
        await using var gateway = await StartAsync(timeoutSeconds: 300, responseStartTimeoutSeconds: 1);

        using var response = await ForwardThenAdvanceAsync(gateway, "/silent", TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Idle_timeout_before_any_byte_gives_504_request_timeout()
    {
        await using var gateway = await StartAsync(timeoutSeconds: 300, idleTimeoutSeconds: 1);

        using var response = await ForwardThenAdvanceAsync(gateway, "/silent", TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Idle_timeout_after_some_bytes_aborts_the_response()
    {
        await using var gateway = await StartAsync(timeoutSeconds: 300, idleTimeoutSeconds: 1);

        await AssertTruncatedAfterFirstChunkAsync(gateway, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Streaming_within_the_timers_completes()
    {
        await using var gateway = await StartAsync(timeoutSeconds: 300, responseStartTimeoutSeconds: 1, idleTimeoutSeconds: 1);

        using var response = await gateway.SendAsync(Host, "/stream", completion: HttpCompletionOption.ResponseHeadersRead);
        _time.Advance(TimeSpan.FromMilliseconds(900)); // the response started with its first chunk: nothing is due
        _backend.ReleaseStream();

        Assert.Equal("firstsecond", await response.Content.ReadAsStringAsync());
    }

    private Task<GatewayHost> StartAsync(int timeoutSeconds, int responseStartTimeoutSeconds = 0, int idleTimeoutSeconds = 0, int containerConcurrency = 0)
    {
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds, containerConcurrency: containerConcurrency,
            responseStartTimeoutSeconds: responseStartTimeoutSeconds, idleTimeoutSeconds: idleTimeoutSeconds);
        return GatewayHost.StartAsync(
            _source,
            s =>
            {
                s.AddSingleton<TimeProvider>(_time);
                s.AddSingleton<HttpTransformer>(_transformer);
            },
            new Dictionary<string, string?> { ["Gateway:Forwarder"] = forwarder });
    }

    // Sends a request to a stalling path, waits until the instance has it, then moves the clock.
    private async Task<HttpResponseMessage> ForwardThenAdvanceAsync(GatewayHost gateway, string path, TimeSpan advance)
    {
        var request = gateway.SendAsync(Host, path);
        await Eventually.True(() => _backend.Stalled == 1);
        _time.Advance(advance);
        return await request;
    }

    private async Task AssertTruncatedAfterFirstChunkAsync(GatewayHost gateway, TimeSpan advance)
    {
        using var response = await gateway.SendAsync(Host, "/stream", completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[5];
        await body.ReadExactlyAsync(buffer);
        Assert.Equal("first", Encoding.UTF8.GetString(buffer));

        _time.Advance(advance);

        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(Stream.Null));
    }
}

/// <summary><see cref="TimeoutTests"/> with the gateway's own HTTP/1.1 forwarder (the default).</summary>
public sealed class DirectForwarderTimeoutTests() : TimeoutTests(GatewayOptions.DirectForwarder);

/// <summary><see cref="TimeoutTests"/> with every request through YARP.</summary>
public sealed class YarpTimeoutTests() : TimeoutTests(GatewayOptions.YarpForwarder);
