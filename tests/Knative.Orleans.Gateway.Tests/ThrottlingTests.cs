using System.Net;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Knative.Orleans.Gateway.Throttling;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>containerConcurrency as a hard limit and the bounded revision queue, on real Kestrel both sides.</summary>
public sealed class ThrottlingTests : IAsyncLifetime
{
    private const string Rev = "default/cc-00001";
    private const string Host = "cc.default.example.com";
    private readonly FakeRoutingSource _source = new();
    private TestBackend _a = null!;
    private TestBackend _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestBackend.StartAsync("a");
        _b = await TestBackend.StartAsync("b");
        _source.AddService("default", "cc", [("cc-00001", 100)]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Containerconcurrency_1_never_sends_a_second_request_to_a_busy_instance()
    {
        _source.SetEndpoints(Rev, 1, [_a.Url, _b.Url], containerConcurrency: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);
        var throttler = gateway.Get<ThrottlerRegistry>().Get(Rev);

        var requests = Enumerable.Range(0, 20).Select(_ => gateway.SendAsync(Host, "/slow")).ToArray();

        // Both instances busy with one request each, the other 18 queued in the gateway.
        await Eventually.True(() => throttler.Queued == 18 && _a.InFlight == 1 && _b.InFlight == 1);
        Assert.All(requests, r => Assert.False(r.IsCompleted));

        _a.ReleaseSlow();
        _b.ReleaseSlow();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal((1, 1), (_a.MaxInFlight, _b.MaxInFlight));
        Assert.Equal(20, _a.Served + _b.Served);
        Assert.True(throttler.IsIdle);
    }

    [Fact]
    public async Task A_full_queue_answers_503_pending_request_queue_full()
    {
        _source.SetEndpoints(Rev, 1, [_a.Url], containerConcurrency: 1);
        await using var gateway = await GatewayHost.StartAsync(_source, s => s.Configure<GatewayOptions>(o => o.MaxQueuedPerRevision = 2));
        var throttler = gateway.Get<ThrottlerRegistry>().Get(Rev);

        // Warm the route and endpoints first: on a cold cache all three would wait for the pull together, and the
        // third would rightly find the queue (2) full.
        using (var warm = await gateway.SendAsync(Host, "/"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var admitted = Enumerable.Range(0, 3).Select(_ => gateway.SendAsync(Host, "/slow")).ToArray(); // 1 in flight + 2 queued
        await Eventually.True(() => throttler.Queued == 2 && _a.InFlight == 1);
        using var rejected = await gateway.SendAsync(Host, "/slow");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Equal("pending request queue full\n", await rejected.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", rejected.Content.Headers.ContentType?.ToString());

        _a.ReleaseSlow();
        Assert.All(await Task.WhenAll(admitted), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(3, _a.Served);
    }

    [Fact]
    public async Task Requests_held_for_a_cold_start_count_against_the_same_queue()
    {
        _source.SetEndpoints(Rev, 1, [], containerConcurrency: 1);
        await using var gateway = await GatewayHost.StartAsync(_source, s => s.Configure<GatewayOptions>(o => o.MaxQueuedPerRevision = 2));
        var throttler = gateway.Get<ThrottlerRegistry>().Get(Rev);

        var held = Enumerable.Range(0, 2).Select(_ => gateway.SendAsync(Host, "/slow")).ToArray();
        await Eventually.True(() => throttler.Queued == 2);
        using var rejected = await gateway.SendAsync(Host, "/slow");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Equal("pending request queue full\n", await rejected.Content.ReadAsStringAsync());

        // One instance comes up: the held requests go to it one at a time (CC 1).
        _a.ReleaseSlow();
        _source.CompleteReady(FakeRoutingSource.MakeEndpoints(Rev, 2, [_a.Url], containerConcurrency: 1));
        Assert.All(await Task.WhenAll(held), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, _a.MaxInFlight);
    }

    [Fact]
    public async Task Containerconcurrency_0_is_unlimited()
    {
        _source.SetEndpoints(Rev, 1, [_a.Url], containerConcurrency: 0);
        await using var gateway = await GatewayHost.StartAsync(_source);
        var throttler = gateway.Get<ThrottlerRegistry>().Get(Rev);

        var requests = Enumerable.Range(0, 5).Select(_ => gateway.SendAsync(Host, "/slow")).ToArray();
        await Eventually.True(() => _a.InFlight == 5);

        Assert.Equal(0, throttler.Queued);
        _a.ReleaseSlow();
        Assert.All(await Task.WhenAll(requests), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }
}
