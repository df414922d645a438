using System.Net;
using System.Text;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using static Knative.Orleans.Gateway.Tests.Infrastructure.TestBackend;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>
/// The gateway on real Kestrel in front of real backends, with ready endpoints (no cold start); every test runs with
/// each forwarder (<c>Gateway:Forwarder</c>).
/// </summary>
public abstract class ProxyTests(string forwarder) : IAsyncLifetime
{
    private readonly FakeRoutingSource _source = new();
    private TestBackend _hello = null!;
    private TestBackend _other = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _hello = await TestBackend.StartAsync("hello");
        _other = await TestBackend.StartAsync("other");
        _source.AddService("default", "hello", [("hello-00001", 100)]);
        _source.SetEndpoints("default/hello-00001", 1, [_hello.Url]);
        _source.AddService("team", "other", [("other-00003", 100)]);
        _source.SetEndpoints("team/other-00003", 1, [_other.Url]);
        _gateway = await GatewayHost.StartAsync(_source, settings: new Dictionary<string, string?> { ["Gateway:Forwarder"] = forwarder });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _hello.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task Routes_by_host_and_passes_method_path_query_body_and_headers_through()
    {
        using var response = await _gateway.SendAsync(
            "Hello.Default.example.com:8080",
            "/api/items%20x?q=1&r=a%2Fb",
            HttpMethod.Put,
            new StringContent("payload", Encoding.UTF8, "text/plain"),
            r =>
            {
                r.Headers.Add("X-Custom", "kept");
                r.Headers.Add("X-Forwarded-For", "203.0.113.9");
                r.Headers.Add("Knative-Serving-Revision", "spoofed");
                r.Headers.Add("Knative-Serving-Namespace", "spoofed");
                r.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", response.Headers.GetValues("X-Backend").Single());
        var echo = await Echo.ReadAsync(response);
        Assert.Equal(("hello", "PUT", "/api/items x", "?q=1&r=a%2Fb", "payload"), (echo.Backend, echo.Method, echo.Path, echo.Query, echo.Body));
        Assert.Equal("Hello.Default.example.com:8080", echo.Header("Host"));
        Assert.Equal("kept", echo.Header("X-Custom"));
        Assert.Equal("text/plain; charset=utf-8", echo.Header("Content-Type"));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", echo.Header("traceparent"));
        Assert.Equal("203.0.113.9, 127.0.0.1", echo.Header("X-Forwarded-For"));
        Assert.Equal("http", echo.Header("X-Forwarded-Proto"));
        Assert.Equal("Hello.Default.example.com:8080", echo.Header("X-Forwarded-Host"));
        Assert.Equal("for=127.0.0.1;host=\"Hello.Default.example.com:8080\";proto=http", echo.Header("Forwarded"));
        Assert.Null(echo.Header("Knative-Serving-Revision"));
        Assert.Null(echo.Header("Knative-Serving-Namespace"));
    }

    [Fact]
    public async Task Each_host_reaches_its_own_service_and_a_client_forwarded_header_is_kept()
    {
        using var response = await _gateway.SendAsync("other.team.example.com", "/", configure: r => r.Headers.Add("Forwarded", "for=198.51.100.1"));

        var echo = await Echo.ReadAsync(response);
        Assert.Equal("other", echo.Backend);
        Assert.Equal("for=198.51.100.1", echo.Header("Forwarded"));
        Assert.Equal("127.0.0.1", echo.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task Unknown_hosts_and_services_get_404()
    {
        using var foreign = await _gateway.SendAsync("example.org");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("no route for host \"example.org\"", await foreign.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", foreign.Content.Headers.ContentType?.ToString());

        using var unknown = await _gateway.SendAsync("nope.default.example.com");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("no route for host \"nope.default.example.com\"", await unknown.Content.ReadAsStringAsync());
        Assert.False(_gateway.Get<RouteCache>().TryGetRoute("default/nope", out _));
    }

    [Fact]
    public async Task Healthz_and_readyz_are_answered_on_non_service_hosts()
    {
        await _gateway.Get<RouteSubscription>().Subscribed;
        await Eventually.True(() => _gateway.Get<GatewayReadiness>().IsReady);

        using var health = await _gateway.SendAsync("127.0.0.1", "/healthz");
        Assert.Equal((HttpStatusCode.OK, "ok"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
        using var ready = await _gateway.SendAsync("gateway.internal", "/readyz");
        Assert.Equal((HttpStatusCode.OK, "ready"), (ready.StatusCode, await ready.Content.ReadAsStringAsync()));

        // On a service host the same paths belong to the app.
        using var appHealth = await _gateway.SendAsync("hello.default.example.com", "/healthz");
        Assert.Equal("/healthz", (await Echo.ReadAsync(appHealth)).Path);

        using var post = await _gateway.SendAsync("127.0.0.1", "/healthz", HttpMethod.Post);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task Other_ports_of_the_app_are_not_routed_by_host()
    {
        Assert.Equal("admin", await _gateway.AdminClient.GetStringAsync("/admin"));
        using var viaGateway = await _gateway.SendAsync("127.0.0.1", "/admin");
        Assert.Equal(HttpStatusCode.NotFound, viaGateway.StatusCode);
    }

    [Fact]
    public async Task Streamed_response_passes_through_incrementally()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a safety net, not a timing assert
        using var response = await _gateway.SendAsync("hello.default.example.com", "/stream", completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);

        // The backend holds "second" back until released: reading "first" proves nothing waits for the whole body.
        var received = new StringBuilder();
        var buffer = new byte[64];
        while (received.Length < "first".Length)
        {
            var read = await body.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        Assert.Equal("first", received.ToString());
        _hello.ReleaseStream();
        using var reader = new StreamReader(body);
        Assert.Equal("second", await reader.ReadToEndAsync(timeout.Token));
    }

    [Fact]
    public async Task Targets_without_ready_revision_or_pending_give_503()
    {
        _source.AddService("default", "empty", []);
        using var response = await _gateway.SendAsync("empty.default.example.com");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no ready revision", await response.Content.ReadAsStringAsync());
    }
}

/// <summary><see cref="ProxyTests"/> with the gateway's own HTTP/1.1 forwarder (the default).</summary>
public sealed class DirectForwarderProxyTests() : ProxyTests(GatewayOptions.DirectForwarder);

/// <summary><see cref="ProxyTests"/> with every request through YARP.</summary>
public sealed class YarpProxyTests() : ProxyTests(GatewayOptions.YarpForwarder);
