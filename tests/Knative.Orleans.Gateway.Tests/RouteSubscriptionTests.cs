using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

public sealed class RouteSubscriptionTests
{
    [Fact]
    public async Task A_renewal_that_finds_a_new_hub_epoch_resyncs_at_once_and_one_with_the_same_epoch_does_not()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var source = new FakeRoutingSource();
        source.AddService("default", "hello", [("hello-00001", 100)]);
        await using var gateway = await GatewayHost.StartAsync(source, s => s.AddSingleton<TimeProvider>(time), new Dictionary<string, string?>
        {
            ["Gateway:SubscriptionRenewalPeriod"] = "00:00:02",
            ["Gateway:ResyncPeriod"] = "01:00:00",
        });
        await gateway.Get<RouteSubscription>().Subscribed;
        await gateway.Get<RouteCache>().RefreshRouteAsync("default/hello");
        Assert.Equal(1, source.GetRouteCalls);

        // Renewals against the same hub activation: no re-pull (the timer may not exist yet: advance until it ticks).
        var before = source.SubscribeCalls;
        await AdvanceUntil(time, () => source.SubscribeCalls >= before + 2);
        Assert.Equal(1, source.GetRouteCalls);

        // The hub's silo died and a new activation answers: everything cached is pulled again.
        source.Epoch = "epoch-2";
        await AdvanceUntil(time, () => source.GetRouteCalls == 2);
        Assert.Equal(gateway.Get<GatewayMembership>().SelfId, source.SubscribedGatewayId);
    }

    private static async Task AdvanceUntil(FakeTimeProvider time, Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, "condition not met within 10 s");
            time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(20);
        }
    }
}
