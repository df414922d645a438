using Knative.Orleans.Gateway.Throttling;
using Yarp.ReverseProxy.Forwarder;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>
/// Request transform of the gateway: keep everything the client sent, including Host, and add the forwarding
/// headers Knative's activator adds.
/// </summary>
/// <remarks>
/// YARP's <see cref="HttpTransformer.Default"/> suppresses the original Host (the destination's is sent) and sets
/// the X-Forwarded-* headers, dropping what the client sent. Knative keeps Host, because apps build URLs from it.
/// So this derives from the base transformer (which copies every header, Host included) and adds:
/// X-Forwarded-For (client IP appended), X-Forwarded-Proto and X-Forwarded-Host (set), RFC 7239 Forwarded (only when
/// absent), and strips Knative-Serving-Revision / Knative-Serving-Namespace, which only the platform may set.
/// </remarks>
public sealed class ForwardingTransformer : HttpTransformer
{
    /// <summary>The one instance; the transformer is stateless.</summary>
    public static readonly ForwardingTransformer Instance = new();

    private ForwardingTransformer()
    {
    }

    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        var request = httpContext.Request;
        var clientHeaders = request.Headers;
        var headers = proxyRequest.Headers;

        // The base copied what the client sent; Remove on the outgoing headers is only needed for what the client
        // sent (a lookup in Kestrel's header dictionary is cheaper than one in HttpHeaders).
        foreach (var name in ForwardingHeaders.PlatformHeaders)
        {
            if (clientHeaders.ContainsKey(name))
            {
                headers.Remove(name);
            }
        }

        // The base already copied Host; set it explicitly so the intent does not depend on that detail.
        headers.Host = request.Host.Value;
        var forwarding = ForwardingHeaders.Of(httpContext);
        foreach (var name in ForwardingHeaders.Replaced)
        {
            if (clientHeaders.ContainsKey(name))
            {
                headers.Remove(name);
            }
        }

        if (forwarding.XForwardedFor is { } forwardedFor)
        {
            headers.TryAddWithoutValidation(ForwardingHeaders.XForwardedForName, forwardedFor);
        }

        headers.TryAddWithoutValidation(ForwardingHeaders.XForwardedProtoName, forwarding.XForwardedProto);
        if (forwarding.XForwardedHost is { } forwardedHost)
        {
            headers.TryAddWithoutValidation(ForwardingHeaders.XForwardedHostName, forwardedHost);
        }

        if (forwarding.Forwarded is { } forwarded)
        {
            headers.TryAddWithoutValidation(ForwardingHeaders.ForwardedName, forwarded);
        }
    }

    /// <inheritdoc />
    /// <remarks>Called when the instance's response headers (or its 101) arrived: the response start of the request's timers.</remarks>
    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            httpContext.Features.Get<RequestTimers>()?.MarkResponseStarted();
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }
}
