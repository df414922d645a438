using System.Net;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using static Knative.Orleans.Gateway.Tests.Infrastructure.TestBackend;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>Tag hosts <c>{tag}-{name}.{ns}.{domain}</c> and the <c>Knative-Serving-Tag</c> header, on real Kestrel.</summary>
public sealed class TagRoutingTests : IAsyncLifetime
{
    private readonly FakeRoutingSource _source = new();
    private readonly List<TestBackend> _backends = [];

    public async Task InitializeAsync()
    {
        var one = await Backend("one");
        var two = await Backend("two");
        var ab = await Backend("ab");
        var b = await Backend("b");
        _source.AddTaggedService("default", "hello", [("hello-00001", 50, "one"), ("hello-00002", 50, "two")]);
        _source.SetEndpoints("default/hello-00001", 1, [one.Url]);
        _source.SetEndpoints("default/hello-00002", 1, [two.Url]);

        // "a-b" is both the service a-b and tag a of service b: the service wins.
        _source.AddTaggedService("default", "a-b", [("a-b-00001", 100, null)]);
        _source.SetEndpoints("default/a-b-00001", 1, [ab.Url]);
        _source.AddTaggedService("default", "b", [("b-00001", 100, "a")]);
        _source.SetEndpoints("default/b-00001", 1, [b.Url]);

        // A tag with a dash: x-y-z is tag x-y of service z (there is no service y-z).
        _source.AddTaggedService("default", "z", [("z-00001", 100, null), ("z-00002", 0, "x-y")]);
        _source.SetEndpoints("default/z-00001", 1, [one.Url]);
        _source.SetEndpoints("default/z-00002", 1, [two.Url]);

        // Main host with a 0% tagged canary, for the header.
        _source.AddTaggedService("default", "main", [("main-00001", 100, null), ("main-00002", 0, "canary")]);
        _source.SetEndpoints("default/main-00001", 1, [one.Url]);
        _source.SetEndpoints("default/main-00002", 1, [two.Url]);
    }

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_tag_host_sends_every_request_to_the_tagged_revision_whatever_its_percent()
    {
        await using var gateway = await GatewayHost.StartAsync(_source);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("one", await BackendOf(gateway, "one-hello.default.example.com"));
            Assert.Equal("two", await BackendOf(gateway, "Two-Hello.default.example.com:8080"));
            Assert.Equal("two", await BackendOf(gateway, "x-y-z.default.example.com"));
        }
    }

    [Fact]
    public async Task The_service_named_like_the_label_wins_over_a_tag_reading()
    {
        await using var gateway = await GatewayHost.StartAsync(_source);

        Assert.Equal("ab", await BackendOf(gateway, "a-b.default.example.com"));
        Assert.Equal("b", await BackendOf(gateway, "b.default.example.com"));
    }

    [Theory]
    [InlineData("three-hello.default.example.com")]
    [InlineData("one-nope.default.example.com")]
    [InlineData("one-hello.other.example.com")]
    [InlineData("hello-one.default.example.com")]
    public async Task An_unknown_tag_or_service_gets_404(string host)
    {
        await using var gateway = await GatewayHost.StartAsync(_source);

        using var response = await gateway.SendAsync(host);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"no route for host \"{host}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Resolutions_are_cached_and_follow_pushed_routes()
    {
        await using var gateway = await GatewayHost.StartAsync(_source);
        var cache = gateway.Get<RouteCache>();

        Assert.Equal("one", await BackendOf(gateway, "one-hello.default.example.com"));
        using (var unknown = await gateway.SendAsync("nope.default.example.com"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var pulls = _source.GetRouteCalls;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("one", await BackendOf(gateway, "one-hello.default.example.com"));
            using var unknown = await gateway.SendAsync("nope.default.example.com");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        Assert.Equal(pulls, _source.GetRouteCalls);

        // The tag is removed: the tag host answers 404 at once.
        cache.ApplyRoute(new RouteSnapshot
        {
            ServiceKey = "default/hello",
            Version = 2,
            Exists = true,
            Targets = [new RouteTarget { RevisionName = "hello-00002", Percent = 100, Tag = "two" }],
        });
        using (var removed = await gateway.SendAsync("one-hello.default.example.com"))
        {
            Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
        }

        Assert.Equal("two", await BackendOf(gateway, "two-hello.default.example.com"));

        // A service named like the tag host appears: it wins at once.
        cache.ApplyRoute(new RouteSnapshot
        {
            ServiceKey = "default/two-hello",
            Version = 1,
            Exists = true,
            Targets = [new RouteTarget { RevisionName = "a-b-00001", Percent = 100 }],
        });
        Assert.Equal("ab", await BackendOf(gateway, "two-hello.default.example.com"));
    }

    [Fact]
    public async Task The_tag_header_is_ignored_by_default()
    {
        await using var gateway = await GatewayHost.StartAsync(_source);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("one", await BackendOf(gateway, "main.default.example.com", "canary"));
        }
    }

    [Fact]
    public async Task When_enabled_the_tag_header_picks_the_tagged_revision_and_an_unknown_tag_falls_back_to_the_split()
    {
        await using var gateway = await GatewayHost.StartAsync(
            _source, settings: new Dictionary<string, string?> { ["Serving:TagHeaderBasedRouting"] = "Enabled" });

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("two", await BackendOf(gateway, "main.default.example.com", "canary"));
            Assert.Equal("one", await BackendOf(gateway, "main.default.example.com", "nope"));
            Assert.Equal("one", await BackendOf(gateway, "main.default.example.com"));
        }
    }

    [Fact]
    public async Task An_invalid_tag_header_setting_fails_startup()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(
            _source, settings: new Dictionary<string, string?> { ["Serving:TagHeaderBasedRouting"] = "maybe" }));
        Assert.Contains("Serving:TagHeaderBasedRouting = 'maybe'", error.ToString());
    }

    private static async Task<string> BackendOf(GatewayHost gateway, string host, string? tagHeader = null)
    {
        using var response = await gateway.SendAsync(
            host, configure: r =>
            {
                if (tagHeader is not null)
                {
                    r.Headers.Add("Knative-Serving-Tag", tagHeader);
                }
            });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Echo.ReadAsync(response)).Backend;
    }

    private async Task<TestBackend> Backend(string name)
    {
        var backend = await TestBackend.StartAsync(name);
        _backends.Add(backend);
        return backend;
    }
}
