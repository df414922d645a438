using System.Net;
using System.Text;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Knative.Orleans.Gateway.Throttling;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>
/// timeoutSeconds, responseStartTimeoutSeconds and idleTimeoutSeconds with Knative's codes and bodies (1 s timers,
/// real Kestrel both sides). The tests await the gateway's answer; none sleeps or measures time.
/// </summary>
public sealed class TimeoutTests : IAsyncLifetime
{
    private const string Rev = "default/slow-00001";
    private const string Host = "slow.default.example.com";
    private readonly FakeRoutingSource _source = new();
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
        // CC 1 and the only slot taken (held here, so it outlives the 1 s timers): the request waits in the queue, and
        // the queue time counts.
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 1, containerConcurrency: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);
        var throttler = gateway.Get<ThrottlerRegistry>().Get(Rev);
        using var holderTimers = new RequestTimers(TimeProvider.System.GetTimestamp(), TimeProvider.System);
        var holder = await throttler.AcquireAsync(holderTimers, null, CancellationToken.None);
        Assert.Equal(ThrottleOutcome.Acquired, holder.Outcome);

        using var queued = await gateway.SendAsync(Host, "/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, queued.StatusCode);
        Assert.Equal("activator request timeout", await queued.Content.ReadAsStringAsync());
        Assert.Equal(0, throttler.Queued);
        Assert.Equal(0, _backend.InFlight);
        holder.Slot!.Dispose();
    }

    [Fact]
    public async Task Forwarded_and_silent_past_timeout_seconds_gives_504_request_timeout()
    {
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync(Host, "/silent");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Timeout_seconds_after_the_response_started_aborts_the_response()
    {
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync(Host, "/stream", completion: HttpCompletionOption.ResponseHeadersRead);

        // The status stays 200, but the body ends in an error rather than looking complete.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(received));
        Assert.Equal("first", Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task Timeout_seconds_after_headers_only_aborts_the_connection()
    {
        // The instance sent its headers (the response start) and then nothing: too late for a 504.
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => gateway.SendAsync(Host, "/headers-then-stall"));

        Assert.IsAssignableFrom<IOException>(failure.InnerException); // connection reset, no status line
    }

    [Fact]
    public async Task Response_start_timeout_gives_504_request_timeout_before_timeout_seconds()
    {
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 300, responseStartTimeoutSeconds: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync(Host, "/silent");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Idle_timeout_after_some_bytes_aborts_the_response()
    {
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 300, idleTimeoutSeconds: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync(Host, "/stream", completion: HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(received));
        Assert.Equal("first", Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task Idle_timeout_before_any_byte_gives_504_request_timeout()
    {
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 300, idleTimeoutSeconds: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync(Host, "/silent");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("request timeout", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Streaming_within_the_timers_completes()
    {
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 300, responseStartTimeoutSeconds: 60, idleTimeoutSeconds: 60);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync(Host, "/stream", completion: HttpCompletionOption.ResponseHeadersRead);
        _backend.ReleaseStream();

        Assert.Equal("firstsecond", await response.Content.ReadAsStringAsync());
    }
}
