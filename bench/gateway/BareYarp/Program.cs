using System.Net;
using Yarp.ReverseProxy.Forwarder;

// The floor of a .NET reverse proxy on this machine: Kestrel + YARP's IHttpForwarder to one backend, no routing, no
// throttling, no metrics. bench/gateway measures it in the same run so the gateway's own cost can be told apart.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var app = builder.Build();
var backend = app.Configuration["backend"] ?? throw new InvalidOperationException("--backend=http://127.0.0.1:PORT is required");
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
