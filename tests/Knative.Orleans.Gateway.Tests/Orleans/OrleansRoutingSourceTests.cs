using System.Net;
using global::Orleans.TestingHost;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;

namespace Knative.Orleans.Gateway.Tests.Orleans;

/// <summary>The real port on a real in-process cluster, with stand-in grains: observer wiring and grain calls.</summary>
public sealed class OrleansRoutingSourceTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Hub_pushes_reach_the_subscribed_cache_until_it_unsubscribes()
    {
        var source = new OrleansRoutingSource(_cluster.Client);
        var cache = new RouteCache(source);
        var hub = _cluster.Client.GetGrain<IRoutingHubGrain>(0);

        var first = await source.SubscribeAsync("gw-a", cache);
        Assert.Equal(["gw-a"], first.Gateways);
        var renewed = await source.SubscribeAsync("gw-a", cache); // a renewal reuses the same reference
        Assert.Equal(["gw-a"], renewed.Gateways);
        Assert.Equal(first.Epoch, renewed.Epoch); // same hub activation
        cache.ApplyRoute(new RouteSnapshot { ServiceKey = "push/hello", Version = 1, Exists = true }); // routed here before
        await hub.PublishRouteAsync(new RouteSnapshot { ServiceKey = "push/hello", Version = 2, Exists = true });
        await hub.PublishEndpointsAsync(FakeRoutingSource.MakeEndpoints("push/hello-00001", 1, ["http://10.0.0.1:80"]));

        // The hub's publish returns after the observer call returned, and that is after the swap.
        Assert.True(cache.TryGetRoute("push/hello", out var route));
        Assert.Equal(2, route.Version);
        Assert.True(cache.TryGetEndpoints("push/hello-00001", out _));

        await source.UnsubscribeAsync(cache);
        await hub.PublishRouteAsync(new RouteSnapshot { ServiceKey = "push/hello", Version = 3, Exists = false });
        Assert.True(cache.TryGetRoute("push/hello", out route));
        Assert.Equal(2, route.Version);
    }

    [Fact]
    public async Task A_host_without_a_service_is_looked_up_as_a_standalone_route()
    {
        var source = new OrleansRoutingSource(_cluster.Client);
        TestGrainData.StandaloneRoutes["standalone/bg"] = new RouteSnapshot
        {
            ServiceKey = "standalone/bg",
            Version = 7,
            Exists = true,
            Targets = [new RouteTarget { RevisionName = "blue-00001", Percent = 100 }],
        };
        TestGrainData.Routes["standalone/svc"] = new RouteSnapshot { ServiceKey = "standalone/svc", Version = 3, Exists = true };

        var route = await source.GetRouteSnapshotAsync("standalone/bg");
        Assert.True(route.Exists);
        Assert.Equal(7, route.Version);
        Assert.Equal("blue-00001", Assert.Single(route.Targets).RevisionName);
        Assert.Equal(3, (await source.GetRouteSnapshotAsync("standalone/svc")).Version);
        Assert.False((await source.GetRouteSnapshotAsync("standalone/none")).Exists);
    }

    [Fact]
    public async Task Gateway_over_the_real_port_routes_and_reports_to_the_grains()
    {
        await using var backend = await TestBackend.StartAsync("grain-backed");
        TestGrainData.Routes["orleans/hello"] = new RouteSnapshot
        {
            ServiceKey = "orleans/hello",
            Version = 1,
            Exists = true,
            Targets = [new RouteTarget { RevisionName = "hello-00001", Percent = 100 }],
        };
        TestGrainData.Endpoints["orleans/hello-00001"] = FakeRoutingSource.MakeEndpoints("orleans/hello-00001", 1, [backend.Url]);
        await using var gateway = await GatewayHost.StartAsync(services => services.AddSingleton<IGrainFactory>(_cluster.Client));

        using var response = await gateway.SendAsync("hello.orleans.example.com", "/via-grains");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/via-grains", (await TestBackend.Echo.ReadAsync(response)).Path);
        Assert.IsType<OrleansRoutingSource>(gateway.Get<IRoutingSource>());
        // The 1 s tick sends one batch to the ingress grain, which hands the sample to the revision grain. (The cache
        // miss also poked the revision directly, as a cold start would.)
        await Eventually.True(() => TestGrainData.Batches.Any(b => b.Entries.Any(e => e.RevisionKey == "orleans/hello-00001")));
        Assert.True(TestGrainData.LastSample.ContainsKey("orleans/hello-00001"));
    }
}
