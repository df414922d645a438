using System.Net;
using System.Net.Sockets;
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

    private static readonly string[] PlatformHeaders = ["Knative-Serving-Revision", "Knative-Serving-Namespace"];

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
        foreach (var name in PlatformHeaders)
        {
            if (clientHeaders.ContainsKey(name))
            {
                headers.Remove(name);
            }
        }

        // The base already copied Host; set it explicitly so the intent does not depend on that detail.
        var host = request.Host.Value;
        headers.Host = host;

        var clientIp = ClientIp(httpContext.Connection.RemoteIpAddress);
        var clientIpText = clientIp?.ToString();
        var priorFor = clientHeaders[Names.XForwardedFor];
        if (priorFor.Count > 0)
        {
            headers.Remove(Names.XForwardedFor);
            var values = clientIpText is null ? priorFor.ToArray() : [.. priorFor, clientIpText];
            headers.TryAddWithoutValidation(Names.XForwardedFor, string.Join(", ", values));
        }
        else if (clientIpText is not null)
        {
            headers.TryAddWithoutValidation(Names.XForwardedFor, clientIpText);
        }

        if (clientHeaders.ContainsKey(Names.XForwardedProto))
        {
            headers.Remove(Names.XForwardedProto);
        }

        headers.TryAddWithoutValidation(Names.XForwardedProto, request.Scheme);
        if (clientHeaders.ContainsKey(Names.XForwardedHost))
        {
            headers.Remove(Names.XForwardedHost);
        }

        if (request.Host.HasValue)
        {
            headers.TryAddWithoutValidation(Names.XForwardedHost, host);
        }

        if (!clientHeaders.ContainsKey(Names.Forwarded))
        {
            headers.TryAddWithoutValidation(Names.Forwarded, ForwardedValue(clientIp, clientIpText, host, request.Scheme));
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

    /// <summary>An RFC 7239 element: <c>for=192.0.2.7;host=hello.default.example.com;proto=http</c>.</summary>
    internal static string ForwardedValue(IPAddress? clientIp, string? host, string scheme) =>
        ForwardedValue(clientIp, clientIp?.ToString(), host, scheme);

    // One concatenation (no list, no join); clientIpText is clientIp.ToString().
    private static string ForwardedValue(IPAddress? clientIp, string? clientIpText, string? host, string scheme)
    {
        // IPv6 nodes are bracketed and, since ':' is not a token character, quoted (RFC 7239 section 6).
        var forValue = clientIp is null ? null
            : clientIp.AddressFamily == AddressFamily.InterNetworkV6 ? $"\"[{clientIpText}]\"" : clientIpText;
        var hostValue = string.IsNullOrEmpty(host) ? null : TokenOrQuoted(host);
        return (forValue, hostValue) switch
        {
            (null, null) => "proto=" + scheme,
            (null, _) => string.Concat("host=", hostValue, ";proto=", scheme),
            (_, null) => string.Concat("for=", forValue, ";proto=", scheme),
            _ => string.Concat(["for=", forValue, ";host=", hostValue, ";proto=", scheme]),
        };
    }

    private static IPAddress? ClientIp(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static string TokenOrQuoted(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
            }
        }

        return value;
    }

    private static class Names
    {
        public const string XForwardedFor = "X-Forwarded-For";
        public const string XForwardedProto = "X-Forwarded-Proto";
        public const string XForwardedHost = "X-Forwarded-Host";
        public const string Forwarded = "Forwarded";
    }
}
