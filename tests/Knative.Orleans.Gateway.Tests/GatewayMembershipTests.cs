using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;

namespace Knative.Orleans.Gateway.Tests;

public sealed class GatewayMembershipTests
{
    [Fact]
    public async Task The_subscription_registers_this_gateway_and_learns_the_live_ones()
    {
        var source = new FakeRoutingSource { Gateways = ["zz-gateway", "00-gateway"] };
        await using var gateway = await GatewayHost.StartAsync(source);
        await gateway.Get<RouteSubscription>().Subscribed;

        var membership = gateway.Get<GatewayMembership>();
        Assert.Equal(membership.SelfId, source.SubscribedGatewayId);
        Assert.Equal(["00-gateway", membership.SelfId, "zz-gateway"], membership.Current.Ids);
        Assert.Equal(1, membership.Current.SelfIndex);
    }

    [Fact]
    public void The_view_always_contains_this_gateway_and_changes_only_when_the_set_does()
    {
        var membership = new GatewayMembership("b");
        var changes = 0;
        membership.Changed += () => changes++;
        Assert.Equal(["b"], membership.Current.Ids);

        Assert.True(membership.Update(["c", "a", "a"]));
        Assert.False(membership.Update(["a", "b", "c"]));
        Assert.Equal(["a", "b", "c"], membership.Current.Ids);
        Assert.Equal(1, membership.Current.SelfIndex);

        Assert.True(membership.Update([]));
        Assert.Equal(["b"], membership.Current.Ids);
        Assert.Equal(2, changes);
    }
}
