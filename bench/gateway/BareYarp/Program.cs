using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Yarp.ReverseProxy.Forwarder;

// The floor of a .NET reverse proxy on this machine: Kestrel + YARP's IHttpForwarder to one backend, no routing, no
// throttling, no metrics. bench/gateway measures it in the same run so the gateway's own cost can be told apart.
// --mode=hello: Kestrel answers "hello\n" itself (no upstream at all): what any Kestrel-based proxy costs at least.
// --mode=raw: a hand-written HTTP/1.1 forwarder (RawForwarder: a feasibility probe, GET with Content-Length answers only).
// --mode=direct: the gateway's DirectForwarder with a request's timers, and nothing else of the gateway.
// --inline=true: Kestrel's UnsafePreferInlineScheduling (the request runs on the socket's I/O thread, no thread-pool hop).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
if (builder.Configuration.GetValue<bool>("inline"))
{
    builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
}

builder.Services.AddHttpForwarder();
var app = builder.Build();
if (app.Configuration["mode"] == "hello")
{
    var hello = "hello\n"u8.ToArray();
    app.Run(async context =>
    {
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = hello.Length;
        await context.Response.Body.WriteAsync(hello);
    });
    app.Run();
    return;
}

var backend = app.Configuration["backend"] ?? throw new InvalidOperationException("--backend=http://127.0.0.1:PORT is required");
if (app.Configuration["mode"] == "raw")
{
    var uri = new Uri(backend);
    var raw = new RawForwarder(uri.Host, uri.Port);
    app.Run(raw.ForwardAsync);
    app.Run();
    return;
}

if (app.Configuration["mode"] == "direct")
{
    var direct = new Knative.Orleans.Gateway.Proxy.DirectForwarder(TimeProvider.System);
    app.Run(async context =>
    {
        using var timers = new Knative.Orleans.Gateway.Throttling.RequestTimers(TimeProvider.System.GetTimestamp(), TimeProvider.System);
        timers.Apply(Knative.Orleans.Gateway.Throttling.RevisionTimeouts.Default);
        var (error, _) = await direct.SendAsync(context, backend, timers);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    });
    app.Run();
    return;
}

var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    EnableMultipleHttp2Connections = true,
});
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
app.Run(async context => await forwarder.SendAsync(context, backend, invoker));
app.Run();
