using System.Net;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>The one <see cref="HttpMessageInvoker"/> the gateway forwards through (shared connection pools).</summary>
public sealed class ProxyHttpClient : IDisposable
{
    /// <summary>Creates the invoker with the settings a reverse proxy needs (see the constructor body).</summary>
    public ProxyHttpClient()
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,                                   // instances are reached directly
            AllowAutoRedirect = false,                          // redirects go back to the client
            AutomaticDecompression = DecompressionMethods.None, // bodies pass through unchanged
            UseCookies = false,                                 // cookies are the client's headers
            ActivityHeadersPropagator = null,                   // the client's traceparent passes as is
            ConnectTimeout = TimeSpan.FromSeconds(5),
            EnableMultipleHttp2Connections = true,
        });
    }

    /// <summary>The invoker.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <inheritdoc />
    public void Dispose() => Invoker.Dispose();
}
