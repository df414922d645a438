using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;

namespace Knative.Orleans.Gateway.Tests;

public sealed class RouteCacheTests
{
    private readonly FakeRoutingSource _source = new();
    private readonly RouteCache _cache;

    public RouteCacheTests() => _cache = new RouteCache(_source);

    private static RouteSnapshot Route(long version, bool exists = true, params string[] revisions) => new()
    {
        ServiceKey = "default/hello",
        Version = version,
        Exists = exists,
        Targets = [.. revisions.Select(r => new RouteTarget { RevisionName = r, Percent = 100 / revisions.Length })],
    };

    [Fact]
    public async Task Observer_pushes_replace_only_with_higher_versions()
    {
        IRouteObserver observer = _cache;
        _cache.ApplyRoute(Route(1, true, "first"));
        await observer.RouteChangedAsync(Route(2, true, "a"));
        await observer.RouteChangedAsync(Route(1, true, "old"));
        await observer.RouteChangedAsync(Route(2, true, "same-version"));

        Assert.True(_cache.TryGetRoute("default/hello", out var route));
        Assert.Equal("a", route.Targets.Single().RevisionName);

        await observer.EndpointsChangedAsync(FakeRoutingSource.MakeEndpoints("default/a", 5, ["http://x:1"]));
        var applied = _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints("default/a", 4, []));
        Assert.Equal(5, applied.Version);
        Assert.True(_cache.TryGetEndpoints("default/a", out var endpoints));
        Assert.Single(endpoints.Ready);
    }

    [Fact]
    public async Task Pushes_reach_only_services_this_gateway_has_routed_or_is_pulling()
    {
        IRouteObserver observer = _cache;
        await observer.RouteChangedAsync(Route(1, true, "a"));
        Assert.Empty(_cache.ServiceKeys); // never requested here: not cached, so the resync keeps no idle service awake

        // A push that arrives while the first request's pull is in flight is kept: the pull may answer an older version.
        _source.AddService("default", "hello", [("hello-00001", 100)], version: 1);
        var gate = new TaskCompletionSource();
        _source.RouteGate = gate.Task;
        var load = _cache.GetRouteAsync("default/hello", CancellationToken.None).AsTask();
        await observer.RouteChangedAsync(Route(2, true, "pushed"));
        gate.SetResult();
        Assert.Equal("pushed", (await load).Targets.Single().RevisionName);
        Assert.True(_cache.TryGetRoute("default/hello", out var cached));
        Assert.Equal(2, cached.Version);

        // Once cached, pushes keep it current.
        await observer.RouteChangedAsync(Route(3, true, "b"));
        Assert.True(_cache.TryGetRoute("default/hello", out cached));
        Assert.Equal("b", cached.Targets.Single().RevisionName);
    }

    [Fact]
    public async Task Snapshots_of_things_that_do_not_exist_are_not_cached()
    {
        var missing = await _cache.GetRouteAsync("default/nope", CancellationToken.None);
        Assert.False(missing.Exists);
        Assert.False(_cache.TryGetRoute("default/nope", out _));
        await _cache.GetRouteAsync("default/nope", CancellationToken.None);
        Assert.Equal(2, _source.GetRouteCalls);

        // A newer Exists=false removes a cached service or revision.
        _cache.ApplyRoute(Route(1, true, "a"));
        _cache.ApplyRoute(Route(2, exists: false));
        Assert.Empty(_cache.ServiceKeys);
        _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints("default/a", 1, []));
        var gone = _cache.ApplyEndpoints(new RevisionEndpoints { RevisionKey = "default/a", Version = 2, Exists = false });
        Assert.False(gone.Exists);
        Assert.Empty(_cache.RevisionKeys);
    }

    [Fact]
    public async Task Concurrent_misses_share_one_pull_and_the_result_is_cached()
    {
        _source.AddService("default", "hello", [("hello-00001", 100)]);
        var gate = new TaskCompletionSource();
        _source.RouteGate = gate.Task;

        var loads = Enumerable.Range(0, 5).Select(_ => _cache.GetRouteAsync("default/hello", CancellationToken.None).AsTask()).ToArray();
        gate.SetResult();
        var routes = await Task.WhenAll(loads);

        Assert.Equal(1, _source.GetRouteCalls);
        Assert.All(routes, r => Assert.True(r.Exists));
        await _cache.GetRouteAsync("default/hello", CancellationToken.None);
        Assert.Equal(1, _source.GetRouteCalls);
    }

    [Fact]
    public void Prune_keeps_only_revisions_a_cached_route_refers_to()
    {
        _cache.ApplyRoute(Route(1, true, "a") with { PendingRevision = "p" });
        foreach (var revision in new[] { "default/a", "default/p", "default/old", "other/a" })
        {
            _cache.ApplyEndpoints(FakeRoutingSource.MakeEndpoints(revision, 1, []));
        }

        Assert.Equal(2, _cache.PruneUnroutedRevisions());
        Assert.Equal(["default/a", "default/p"], _cache.RevisionKeys.Order());
    }
}
