using System.Text.Json;

namespace Knative.Orleans.Gateway.Tests.Infrastructure;

/// <summary>
/// A tiny real HTTP server standing in for a revision instance. Echoes the request as JSON; <c>/stream</c> writes a
/// first chunk, flushes, and writes the rest only after <see cref="ReleaseStream"/>.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _streamSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestBackend(WebApplication app, int port, string name)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}";
        Name = name;
    }

    public string Url { get; }

    public string Name { get; }

    public static async Task<TestBackend> StartAsync(string name = "backend")
    {
        TestBackend? backend = null;
        var (app, ports) = await FreePort.StartAsync(1, ports =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{ports[0]}");
            var app = builder.Build();
            app.Run(context => HandleAsync(context, name, () => backend!._streamSignal.Task));
            return app;
        });
        backend = new TestBackend(app, ports[0], name);
        return backend;
    }

    public void ReleaseStream() => _streamSignal.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseStream();
        await _app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, string name, Func<Task> streamSignal)
    {
        if (context.Request.Path == "/stream")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("first");
            await context.Response.Body.FlushAsync();
            await streamSignal();
            await context.Response.WriteAsync("second");
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var echo = new Echo(
            name,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync());
        context.Response.Headers["X-Backend"] = name;
        await context.Response.WriteAsJsonAsync(echo);
    }

    /// <summary>What the backend saw.</summary>
    public sealed record Echo(string Backend, string Method, string Path, string Query, Dictionary<string, string> Headers, string Body)
    {
        public static async Task<Echo> ReadAsync(HttpResponseMessage response)
        {
            var echo = await JsonSerializer.DeserializeAsync<Echo>(await response.Content.ReadAsStreamAsync(), JsonSerializerOptions.Web);
            Assert.NotNull(echo);
            return echo with { Headers = new Dictionary<string, string>(echo.Headers, StringComparer.OrdinalIgnoreCase) };
        }

        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }
}
