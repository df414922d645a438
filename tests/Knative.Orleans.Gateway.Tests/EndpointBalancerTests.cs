using Knative.Orleans.Gateway.Proxy;
using Knative.Orleans.Gateway.Tests.Fakes;

namespace Knative.Orleans.Gateway.Tests;

public sealed class EndpointBalancerTests
{
    private static readonly Contracts.Routing.Endpoint[] Three =
    [
        FakeRoutingSource.Endpoint("http://10.0.0.1:80", "a"),
        FakeRoutingSource.Endpoint("http://10.0.0.2:80", "b"),
        FakeRoutingSource.Endpoint("http://10.0.0.3:80", "c"),
    ];

    [Fact]
    public void Power_of_two_choices_sends_to_the_less_busy_of_two_distinct_picks()
    {
        // Rolls (0, 0): first = a, second = 0 → skips a → b. a has 2 in flight, b 1 → b.
        var random = new ScriptedRandom([0, 0, 0, 0]);
        var balancer = new EndpointBalancer(random);
        using var a1 = balancer.Acquire(Three[0]);
        using var a2 = balancer.Acquire(Three[0]);
        var b1 = balancer.Acquire(Three[1]);

        Assert.Same(Three[1], balancer.Choose(Three));
        Assert.Equal([3, 2], random.MaxValues);

        // Once b is as busy as a, the tie goes to the first pick (a).
        using var b2 = balancer.Acquire(Three[1]);
        Assert.Same(Three[0], balancer.Choose(Three));
        b1.Dispose();
    }

    [Fact]
    public void Leases_count_in_flight_and_forget_idle_endpoints()
    {
        var balancer = new EndpointBalancer(new ScriptedRandom([]));
        var first = balancer.Acquire(Three[2]);
        var second = balancer.Acquire(Three[2]);
        Assert.Equal(2, balancer.GetInFlight(Three[2]));

        first.Dispose();
        second.Dispose();
        Assert.Equal(0, balancer.GetInFlight(Three[2]));
    }

    [Fact]
    public void Excluded_endpoint_is_avoided_when_another_exists()
    {
        var balancer = new EndpointBalancer(new ScriptedRandom([]));
        Assert.Same(Three[1], balancer.Choose(Three[..2], exclude: Three[0]));
        Assert.Same(Three[0], balancer.Choose(Three[..1], exclude: Three[0]));
    }
}
