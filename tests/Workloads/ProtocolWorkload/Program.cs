using System.Collections.Concurrent;
using System.Net.WebSockets;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ProtocolWorkload;

// A Knative-style workload: listens on $PORT. With the argument "h2c" it serves HTTP/2 cleartext only (prior knowledge,
// as Knative expects of a port named h2c); otherwise HTTP/1.1.
//   gRPC knorleans.echo.Echo/Say, /Repeat
//   GET /ws                 WebSocket echo (text and binary), closes when the client closes
//   GET /sse?id=X           text/event-stream: "data: first" at once, then waits for POST /sse/release?id=X,
//                           then "data: second" and the end of the stream
//   POST /sse/release?id=X  lets the stream X finish
//   GET /ready              readiness: 200 once the file $READY_FILE exists (503 before; every call appends a byte
//                           to $READY_FILE.probed); 200 when READY_FILE is not set
//   /runtime                JSON of what the process and the request look like from inside (Knative's runtime
//                           conformance image): args, cwd, env, local port, protocol, headers, body length and SHA-256
var builder = WebApplication.CreateBuilder(args);
var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "8080", System.Globalization.CultureInfo.InvariantCulture);
var h2c = args.Contains("h2c");
builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = h2c ? HttpProtocols.Http2 : HttpProtocols.Http1));
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddGrpc();
builder.Services.AddSingleton<ConcurrentDictionary<string, TaskCompletionSource>>();

var app = builder.Build();
app.UseWebSockets();
app.MapGrpcService<EchoService>();
app.MapGet("/", (HttpContext c) => $"protocol {c.Request.Protocol}");

app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[64 * 1024];
    while (true)
    {
        var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
        if (received.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
            return;
        }

        await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
    }
});

app.MapGet("/sse", async (HttpContext context, string id, ConcurrentDictionary<string, TaskCompletionSource> releases) =>
{
    var release = releases.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    context.Response.ContentType = "text/event-stream";
    await context.Response.WriteAsync("data: first\n\n", context.RequestAborted);
    await context.Response.Body.FlushAsync(context.RequestAborted);
    await release.Task.WaitAsync(TimeSpan.FromMinutes(2), context.RequestAborted);
    await context.Response.WriteAsync("data: second\n\n", context.RequestAborted);
});

app.MapPost("/sse/release", (string id, ConcurrentDictionary<string, TaskCompletionSource> releases) =>
{
    releases.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    return Results.Text("released");
});

app.MapGet("/ready", () =>
{
    if (Environment.GetEnvironmentVariable("READY_FILE") is not { Length: > 0 } file)
    {
        return Results.Text("ready");
    }

    File.AppendAllText(file + ".probed", "x");
    return File.Exists(file) ? Results.Text("ready") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
});

app.Map("/runtime", async (HttpContext context) =>
{
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body, context.RequestAborted);
    return Results.Json(new
    {
        args = Environment.GetCommandLineArgs().Skip(1).ToArray(),
        cwd = Environment.CurrentDirectory,
        env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value),
        localPort = context.Connection.LocalPort,
        request = new
        {
            protocol = context.Request.Protocol,
            method = context.Request.Method,
            host = context.Request.Host.Value,
            path = context.Request.Path.Value,
            headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            bodyLength = body.Length,
            bodySha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body.ToArray())),
        },
    });
});

Console.WriteLine($"listening on {port} ({(h2c ? "h2c" : "http1")})");
app.Run();

/// <summary>The gRPC echo service.</summary>
internal sealed class EchoService : Echo.EchoBase
{
    private static readonly string Revision = Environment.GetEnvironmentVariable("K_REVISION") ?? "";

    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = $"{Revision}: {request.Text}" });

    public override async Task Repeat(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 1; i <= request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = $"{request.Text} {i}" }, context.CancellationToken);
        }
    }
}
