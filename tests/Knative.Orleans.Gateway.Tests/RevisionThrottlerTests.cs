using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.Extensions.Time.Testing;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>The throttler on its own (no HTTP): FIFO hand-over, timers in the queue, ownership, per-instance loads.</summary>
public sealed class RevisionThrottlerTests : IDisposable
{
    private const string Rev = "default/hello-00001";
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services;
    private readonly RouteCache _cache;

    public RevisionThrottlerTests()
    {
        _services = GatewayServices.Build(new FakeRoutingSource(), _time, configure: s => s.AddSingleton(new GatewayMembership("gw-b")));
        _cache = _services.GetRequiredService<RouteCache>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_freed_slot_goes_to_the_head_of_the_queue()
    {
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 1, ["http://10.0.0.1:80"], containerConcurrency: 1));
        var throttler = Throttler();
        var first = await AcquireAsync(throttler);

        var second = AcquireAsync(throttler);
        var third = AcquireAsync(throttler);
        Assert.Equal(2, throttler.Queued);
        Assert.False(second.IsCompleted);

        first.Dispose();
        var secondSlot = await second;
        Assert.False(third.IsCompleted);
        secondSlot.Dispose();
        (await third).Dispose();
        Assert.True(throttler.IsIdle);
    }

    [Fact]
    public async Task A_timer_firing_in_the_queue_gives_TimedOut_and_frees_the_place()
    {
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 1, ["http://10.0.0.1:80"], timeoutSeconds: 1, containerConcurrency: 1));
        var throttler = Throttler();
        using var busy = await AcquireAsync(throttler);
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);

        var queued = throttler.AcquireAsync(timers, null, CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ThrottleOutcome.TimedOut, (await queued).Outcome);
        Assert.Equal(0, throttler.Queued);
    }

    [Fact]
    public async Task A_client_that_goes_away_leaves_the_queue()
    {
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 1, ["http://10.0.0.1:80"], containerConcurrency: 1));
        var throttler = Throttler();
        using var busy = await AcquireAsync(throttler);
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        using var client = new CancellationTokenSource();

        var queued = throttler.AcquireAsync(timers, null, client.Token).AsTask();
        await client.CancelAsync();

        Assert.Equal(ThrottleOutcome.Canceled, (await queued).Outcome);
        Assert.Equal(0, throttler.Queued);
    }

    [Fact]
    public void Each_gateway_sends_only_to_the_instances_it_owns()
    {
        string[] addresses = [.. Enumerable.Range(1, 6).Select(i => $"http://10.0.0.{i}:80")];
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 1, addresses));
        var throttler = Throttler();
        Assert.Equal(6, throttler.Assigned.Count); // alone, it owns everything

        _services.GetRequiredService<GatewayMembership>().Update(["gw-a", "gw-c"]);

        // Sorted gateways gw-a, gw-b, gw-c; 6 instances → 2 each; gw-b takes the middle slice.
        Assert.Equal(["i-2", "i-3"], throttler.Assigned.Select(e => e.InstanceId));
    }

    [Fact]
    public void A_gateway_that_owns_no_ready_instance_uses_them_all()
    {
        // Pick a revision whose single instance belongs to another of the three gateways.
        var revision = Enumerable.Range(1, 100).Select(i => $"default/r-{i:D5}").First(r => InstanceOwnership.OwnerOf(0, 1, 3, r) != 1);
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(revision, 1, ["http://10.0.0.1:80"]));
        _services.GetRequiredService<GatewayMembership>().Update(["gw-a", "gw-c"]);

        var throttler = _services.GetRequiredService<ThrottlerRegistry>().Get(revision);

        Assert.Equal(["i-0"], throttler.Assigned.Select(e => e.InstanceId));
    }

    [Fact]
    public async Task Instances_that_leave_the_snapshot_are_reported_until_their_requests_end()
    {
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 1, ["http://10.0.0.1:80", "http://10.0.0.2:80"], containerConcurrency: 1));
        var throttler = Throttler();
        var slot = await AcquireAsync(throttler); // i-0: the first free instance
        Assert.Equal("i-0", slot.Endpoint.InstanceId);

        // i-0 is being drained: it leaves the snapshot while its request runs.
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(Rev, 2, ["http://10.0.0.2:80"], containerConcurrency: 1) with
        {
            Ready = [new Endpoint { InstanceId = "i-1", Address = "http://10.0.0.2:80" }],
        });
        Assert.Equal([("i-0", 1), ("i-1", 0)], Loads(throttler));

        slot.Dispose();
        Assert.Equal([("i-1", 0)], Loads(throttler));
    }

    private static (string, int)[] Loads(RevisionThrottler throttler) =>
        [.. throttler.GetInstanceLoads().Select(l => (l.InstanceId, l.InFlight)).Order()];

    private RevisionThrottler Throttler() => _services.GetRequiredService<ThrottlerRegistry>().Get(Rev);

    private async Task<InstanceSlot> AcquireAsync(RevisionThrottler throttler)
    {
        var result = await throttler.AcquireAsync(new RequestTimers(_time.GetTimestamp(), _time), null, CancellationToken.None);
        Assert.Equal(ThrottleOutcome.Acquired, result.Outcome);
        return result.Slot!;
    }
}
