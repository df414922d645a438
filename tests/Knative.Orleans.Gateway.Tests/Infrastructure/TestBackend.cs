using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Knative.Orleans.Gateway.Tests.Infrastructure;

/// <summary>
/// A tiny real HTTP server standing in for a revision instance. Echoes the request as JSON; <c>/stream</c> writes a
/// first chunk, flushes, and writes the rest only after <see cref="ReleaseStream"/>; <c>/slow</c> counts the requests
/// it is serving and answers only after <see cref="ReleaseSlow"/>; <c>/silent</c> never answers and
/// <c>/headers-then-stall</c> sends its headers and nothing more (both until the request is aborted); <c>/ws</c> is a
/// WebSocket that says "hello" and echoes.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _streamSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;
    private int _served;
    private int _stalled;

    private TestBackend(WebApplication app, int port, string name)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}";
        Name = name;
    }

    public string Url { get; }

    public string Name { get; }

    /// <summary>Starts a backend; with <paramref name="http2Only"/> it speaks only HTTP/2 cleartext (prior knowledge), as an h2c workload.</summary>
    public static async Task<TestBackend> StartAsync(string name = "backend", bool http2Only = false)
    {
        TestBackend? backend = null;
        var (app, ports) = await FreePort.StartAsync(1, ports =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{ports[0]}");
            if (http2Only)
            {
                builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
            }

            var app = builder.Build();
            app.UseWebSockets();
            app.Run(context => backend!.HandleAsync(context));
            return app;
        });
        backend = new TestBackend(app, ports[0], name);
        return backend;
    }

    /// <summary>Requests <c>/slow</c> is serving now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests <c>/slow</c> served at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests <c>/slow</c> answered.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>Requests that reached <c>/silent</c> or <c>/headers-then-stall</c> (and stalled there).</summary>
    public int Stalled => Volatile.Read(ref _stalled);

    public void ReleaseStream() => _streamSignal.TrySetResult();

    public void ReleaseSlow() => _slowSignal.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseStream();
        ReleaseSlow();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/stream":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("first");
                await context.Response.Body.FlushAsync();
                await _streamSignal.Task;
                await context.Response.WriteAsync("second");
                return;
            case "/slow":
                await SlowAsync(context);
                return;
            case "/silent":
                Interlocked.Increment(ref _stalled);
                await UntilAbortedAsync(context);
                return;
            case "/ws" when context.WebSockets.IsWebSocketRequest:
                await EchoWebSocketAsync(context);
                return;
            case "/headers-then-stall":
                await context.Response.StartAsync();
                await context.Response.Body.FlushAsync(); // StartAsync alone leaves the headers in Kestrel's buffer
                Interlocked.Increment(ref _stalled);
                await UntilAbortedAsync(context);
                return;
        }

        await EchoAsync(context, Name);
    }

    private async Task SlowAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = MaxInFlight) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        await _slowSignal.Task;
        Interlocked.Increment(ref _served);
        Interlocked.Decrement(ref _inFlight); // before the response: the gateway frees the slot only after it
        await context.Response.WriteAsync(Name);
    }

    // Says "hello", then echoes every message until the client closes or the connection breaks.
    private static async Task EchoWebSocketAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[1024];
        try
        {
            await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, context.RequestAborted);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The gateway cut the connection.
        }
    }

    private static async Task UntilAbortedAsync(HttpContext context)
    {
        await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static async Task EchoAsync(HttpContext context, string name)
    {

        using var reader = new StreamReader(context.Request.Body);
        var echo = new Echo(
            name,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync(),
            context.Request.Protocol);
        context.Response.Headers["X-Backend"] = name;
        await context.Response.WriteAsJsonAsync(echo);
    }

    /// <summary>What the backend saw.</summary>
    public sealed record Echo(string Backend, string Method, string Path, string Query, Dictionary<string, string> Headers, string Body, string Protocol)
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
