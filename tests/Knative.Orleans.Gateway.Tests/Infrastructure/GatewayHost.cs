using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;

namespace Knative.Orleans.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway on real Kestrel (127.0.0.1, free ports) with a fake routing source; a second "admin" port serves
/// <c>GET /admin</c> to show that only the gateway port is routed by Host.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, int port, int adminPort)
    {
        _app = app;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
        AdminClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
    }

    /// <summary>Talks to the gateway port.</summary>
    public HttpClient Client { get; }

    /// <summary>Talks to the admin port.</summary>
    public HttpClient AdminClient { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<GatewayHost> StartAsync(
        FakeRoutingSource source, Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(
            services =>
            {
                services.AddSingleton<IRoutingSource>(source);
                configure?.Invoke(services);
            },
            settings);

    /// <summary>
    /// Starts the gateway; <paramref name="configure"/> must provide an IRoutingSource or an IGrainFactory;
    /// <paramref name="settings"/> are added to the configuration.
    /// </summary>
    public static async Task<GatewayHost> StartAsync(Action<IServiceCollection> configure, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var (app, ports) = await FreePort.StartAsync(2, ports =>
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
            builder.Logging.ClearProviders();
            var gatewayUrl = $"http://127.0.0.1:{ports[0]}";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:Url"] = gatewayUrl,
                ["Serving:Domain"] = "Example.com",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.WebHost.UseUrls(gatewayUrl, $"http://127.0.0.1:{ports[1]}");
            configure(builder.Services);
            builder.Services.AddKnativeGateway(builder.Configuration);

            var app = builder.Build();
            app.UseKnativeGateway();
            app.MapGet("/admin", () => "admin");
            return app;
        });
        return new GatewayHost(app, ports[0], ports[1]);
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Sends a request with the given Host header to the gateway port.</summary>
    public Task<HttpResponseMessage> SendAsync(
        string host, string pathAndQuery = "/", HttpMethod? method = null, HttpContent? content = null,
        Action<HttpRequestMessage>? configure = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, pathAndQuery) { Content = content };
        request.Headers.Host = host;
        configure?.Invoke(request);
        return Client.SendAsync(request, completion);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AdminClient.Dispose();
        await _app.DisposeAsync();
    }
}
