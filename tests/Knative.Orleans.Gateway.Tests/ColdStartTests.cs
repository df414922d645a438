using System.Net;
using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Knative.Orleans.Gateway.Tests.Infrastructure.TestBackend;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>Requests for a revision without a ready instance: held, coalesced, timed out, failed, retried.</summary>
public sealed class ColdStartTests : IAsyncLifetime
{
    private const string Rev = "default/cold-00001";
    private readonly FakeRoutingSource _source = new();
    private TestBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await TestBackend.StartAsync("cold");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Held_requests_share_one_activation_and_are_served_once_an_instance_is_ready()
    {
        // The first revision of a new service: no traffic target yet, only the pending revision.
        _source.AddService("default", "cold", [], pending: "cold-00001");
        _source.SetEndpoints(Rev, 1, [], timeoutSeconds: 30);
        // Frozen time: the 1 s metric tick never fires, so any sample must be the immediate report.
        await using var gateway = await GatewayHost.StartAsync(_source, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider()));
        var tracker = gateway.Get<InFlightTracker>();

        var requests = Enumerable.Range(0, 5).Select(i => gateway.SendAsync("cold.default.example.com", $"/r{i}")).ToArray();
        await _source.WaitStarted.Task;
        await Eventually.True(() => tracker.GetInFlight(Rev) == 5);
        var (sampleKey, poke) = await _source.Samples.Reader.ReadAsync();
        Assert.Equal(Rev, sampleKey);
        Assert.True(poke.AverageConcurrency >= 1);
        Assert.All(requests, r => Assert.False(r.IsCompleted));

        _source.CompleteReady(FakeRoutingSource.MakeEndpoints(Rev, 2, [_backend.Url], timeoutSeconds: 30));
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var paths = new List<string>();
        foreach (var response in responses)
        {
            paths.Add((await Echo.ReadAsync(response)).Path);
        }

        Assert.Equal(["/r0", "/r1", "/r2", "/r3", "/r4"], paths.Order());
        Assert.Equal(1, _source.ActivateCalls);
        Assert.False(_source.Batches.Reader.TryRead(out _)); // the poke did not wait for a batch
        Assert.True(gateway.Get<RouteCache>().TryGetEndpoints(Rev, out var cached));
        Assert.Equal(2, cached.Version);
        Assert.Equal(0, tracker.GetInFlight(Rev));

        // Ready now: the next request goes straight through.
        using var warm = await gateway.SendAsync("cold.default.example.com");
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.Equal(1, _source.ActivateCalls);
    }

    [Fact]
    public async Task Hold_longer_than_timeout_seconds_gives_504()
    {
        _source.AddService("default", "cold", [("cold-00001", 100)]);
        _source.SetEndpoints(Rev, 1, [], timeoutSeconds: 1);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync("cold.default.example.com");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("activator request timeout", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Failed_revision_gives_503_with_its_message_at_once()
    {
        _source.AddService("default", "cold", [("cold-00001", 100)]);
        _source.SetEndpoints(Rev, 1, [], failed: true, message: "Container failed with: boom");
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync("cold.default.example.com");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Container failed with: boom", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revision_failing_while_requests_are_held_gives_503_with_its_message()
    {
        _source.AddService("default", "cold", [("cold-00001", 100)]);
        _source.SetEndpoints(Rev, 1, []);
        await using var gateway = await GatewayHost.StartAsync(_source);

        var request = gateway.SendAsync("cold.default.example.com");
        await _source.WaitStarted.Task;
        _source.CompleteReady(FakeRoutingSource.MakeEndpoints(Rev, 2, [], failed: true, message: "Unable to fetch image \"nope\""));
        using var response = await request;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unable to fetch image \"nope\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_revision_gives_503_revision_not_found()
    {
        _source.AddService("default", "cold", [("cold-00001", 100)]);
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync("cold.default.example.com");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("revision not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refused_connection_for_a_bodiless_request_is_retried_once_with_refreshed_endpoints()
    {
        _source.AddService("default", "cold", [("cold-00001", 100)]);
        _source.SetEndpoints(Rev, 2, [_backend.Url]);
        await using var gateway = await GatewayHost.StartAsync(_source);
        // The gateway still believes in an instance that has just stopped.
        gateway.Get<RouteCache>().ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 1, [$"http://127.0.0.1:{FreePort.Next()}"]));

        using var response = await gateway.SendAsync("cold.default.example.com", "/after-retry");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/after-retry", (await Echo.ReadAsync(response)).Path);
        Assert.Equal(1, _source.GetEndpointsCalls);
        Assert.Equal(0, _source.ActivateCalls);
    }

    [Fact]
    public async Task Refused_connection_for_a_request_with_a_body_gives_502_without_retry()
    {
        _source.AddService("default", "cold", [("cold-00001", 100)]);
        _source.SetEndpoints(Rev, 2, [_backend.Url]);
        await using var gateway = await GatewayHost.StartAsync(_source);
        gateway.Get<RouteCache>().ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 1, [$"http://127.0.0.1:{FreePort.Next()}"]));

        using var response = await gateway.SendAsync("cold.default.example.com", "/", HttpMethod.Post, new StringContent("body"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, _source.GetEndpointsCalls);
    }

    [Fact]
    public async Task Readyz_is_503_until_the_route_subscription_succeeds()
    {
        _source.FailSubscribe = true;
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync("127.0.0.1", "/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("not ready", await response.Content.ReadAsStringAsync());
    }
}
